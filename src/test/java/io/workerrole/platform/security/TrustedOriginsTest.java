package io.workerrole.platform.security;

import io.workerrole.platform.WebOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Origins compared by scheme, host and port, as browsers compare them (issue 28, hole 5). */
class TrustedOriginsTest {

    private static final TrustedOrigins DEV_SERVER = TrustedOrigins.ownEndpoints("localhost", 9080, 9443);

    @ParameterizedTest
    @ValueSource(strings = {"null", "", "worker.example.com", "ftp://worker.example.com", "file:///etc", "https://",
            "https://worker.example.com/dashboard", "https://user@worker.example.com", "https://worker.example.com?x=1",
            "https://worker.example.com#top", "http://[::1"})
    void whatIsNotAnHttpOriginIsRefusedAndNeverAdmitted(String text) {
        assertThrows(IllegalArgumentException.class, () -> WebOrigin.parse(text));
        assertFalse(CrossSiteRequestGuard.admitted(text, DEV_SERVER));
    }

    @Test
    void theServersOwnEndpointsAreAdmittedAndNothingElseOnItsMachine() {
        for (String own : new String[] {"http://localhost:9080", "https://localhost:9443", "http://LOCALHOST:9080"}) {
            assertTrue(CrossSiteRequestGuard.admitted(own, DEV_SERVER), own);
        }
        for (String other : new String[] {"http://localhost:8000", "http://localhost", "https://localhost:9080",
                "http://localhost:9443", "http://evil.example:9080", "http://localhost.evil.example:9080"}) {
            assertFalse(CrossSiteRequestGuard.admitted(other, DEV_SERVER), other);
        }
    }

    @Test
    void onAServerOnLocalhostItsLoopbackAddressesAreTheSameMachine() {
        assertTrue(CrossSiteRequestGuard.admitted("http://127.0.0.1:9080", DEV_SERVER));
        assertTrue(CrossSiteRequestGuard.admitted("https://[::1]:9443", DEV_SERVER));
        assertTrue(CrossSiteRequestGuard.admitted("https://[0:0:0:0:0:0:0:1]:9443", DEV_SERVER), "IPv6 in any spelling");
        assertFalse(CrossSiteRequestGuard.admitted("http://127.0.0.1:8000", DEV_SERVER));
        assertFalse(CrossSiteRequestGuard.admitted("http://127.0.0.2:9080", DEV_SERVER), "only the three names of loopback");

        TrustedOrigins named = TrustedOrigins.ownEndpoints("worker.example.com", 9080, 9443);
        assertEquals("http://worker.example.com:9080,https://worker.example.com:9443", named.toString());
        assertFalse(CrossSiteRequestGuard.admitted("http://localhost:9080", named), "a named host is not loopback");
    }

    @Test
    void anEndpointThatIsOffHasNoOriginAndEveryInterfaceHasNoneTheAdminMustListThem() {
        assertEquals("https://worker.example.com:9443", TrustedOrigins.ownEndpoints("worker.example.com", -1, 9443).toString());
        assertEquals("http://[::1]:9080", TrustedOrigins.ownEndpoints("::1", 9080, -1).toString());
        for (String everyInterface : new String[] {"*", "0.0.0.0", "::", "[::]", "not a url host"}) {
            assertTrue(TrustedOrigins.ownEndpoints(everyInterface, 9080, 9443).isEmpty(), everyInterface);
        }
        assertEquals("http://worker_1:9080", TrustedOrigins.ownEndpoints("worker_1", 9080, -1).toString(),
                "an underscore, as container names have, is a host browsers load pages from");
    }

    @Test
    void aListedPublicOriginIsAdmittedWithItsDefaultPort() {
        TrustedOrigins proxied = TrustedOrigins.parse(" https://worker.example.com , http://ops.example.com:8080,")
                .and(TrustedOrigins.parse(""));
        assertTrue(CrossSiteRequestGuard.admitted("https://worker.example.com", proxied));
        assertTrue(CrossSiteRequestGuard.admitted("https://worker.example.com:443", proxied));
        assertTrue(CrossSiteRequestGuard.admitted("http://ops.example.com:8080", proxied));
        assertFalse(CrossSiteRequestGuard.admitted("http://worker.example.com", proxied));
        assertFalse(CrossSiteRequestGuard.admitted("https://worker.example.com:8443", proxied));
        assertFalse(CrossSiteRequestGuard.admitted("https://evil.worker.example.com", proxied));
    }

    @Test
    void theEndpointTheGuardAssumesWhenNothingIsDeclaredIsServerXmlsDefault() throws Exception {
        Map<String, String> defaults = new HashMap<>();
        var variables = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("server-config/server.xml").toFile()).getElementsByTagName("variable");
        for (int i = 0; i < variables.getLength(); i++) {
            var variable = (org.w3c.dom.Element) variables.item(i);
            defaults.put(variable.getAttribute("name"), variable.getAttribute("defaultValue"));
        }
        assertEquals(CrossSiteRequestGuard.DEFAULT_HTTP_HOST, defaults.get(ShippedPasswordsCheck.HTTP_HOST));
        assertEquals(Integer.toString(CrossSiteRequestGuard.DEFAULT_HTTP_PORT), defaults.get(CrossSiteRequestGuard.HTTP_PORT));
        assertEquals(Integer.toString(CrossSiteRequestGuard.DEFAULT_HTTPS_PORT), defaults.get(CrossSiteRequestGuard.HTTPS_PORT));
        assertEquals("", defaults.get(CrossSiteRequestGuard.PUBLIC_ORIGINS), "empty: the endpoints' own origins");
        assertEquals("", defaults.get(CrossSiteRequestGuard.ALLOWED_ORIGINS));
    }

    @Test
    void aListWithAnEntryThatIsNotAnOriginIsRefusedAsAWhole() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> TrustedOrigins.parse("https://worker.example.com,worker.example.com"));
        assertTrue(refused.getMessage().contains("worker.example.com"), refused.getMessage());
    }
}
