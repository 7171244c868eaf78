package io.workerrole.platform.security;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import java.security.Principal;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdempotencyScopeTest {

    @Test
    void aScopeIsTheWayInAndTheCallerOrTheWayInAloneWithoutOne() {
        assertEquals("http:alice", IdempotencyScope.of("HTTP", "alice"));
        assertEquals("jms", IdempotencyScope.of("JMS", null));
        assertEquals("code", IdempotencyScope.of("code", " "));
    }

    @Test
    void aScopeTooLongToKeepBecomesADigestOneForEachCaller() {
        String alice = IdempotencyScope.of("http", "a".repeat(300));
        String bob = IdempotencyScope.of("http", "a".repeat(299) + "b");

        assertTrue(alice.startsWith("http:sha256:") && alice.length() <= IdempotencyScope.MAX_LENGTH, alice);
        assertEquals(alice, IdempotencyScope.of("http", "a".repeat(300)));
        assertNotEquals(alice, bob);
        assertEquals(IdempotencyScope.MAX_LENGTH, IdempotencyScope.of("http", "a".repeat(195)).length(), "kept as it is up to the limit");
    }

    @Test
    void nobodySignedInIsNoCaller() {
        assertNull(IdempotencyScope.caller(null));
        assertNull(IdempotencyScope.caller(() -> "UNAUTHENTICATED"));
        assertEquals("alice", IdempotencyScope.caller(() -> "alice"));
    }

    @Test
    void aBearerTokensUserIsNamedWithItsIssuerSoThatTwoIssuersUsersNeverMeet() {
        String first = IdempotencyScope.caller(token("https://idp.one", "alice"));
        String second = IdempotencyScope.caller(token("https://idp.two", "alice"));
        String spaced = IdempotencyScope.caller(token("a b", "c"));
        String other = IdempotencyScope.caller(token("a", "b c"));

        assertEquals("https://idp.one alice", first);
        assertNotEquals(first, second);
        assertNotEquals(spaced, other, "a space in an issuer is escaped: the first space ends it");
    }

    private static Principal token(String issuer, String name) {
        Map<String, Object> claims = Map.of("iss", issuer, "upn", name);
        return new JsonWebToken() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String claimName) {
                return (T) claims.get(claimName);
            }
        };
    }
}
