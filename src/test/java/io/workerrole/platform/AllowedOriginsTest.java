package io.workerrole.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllowedOriginsTest {

    private static final AllowedOrigins.Use CALLBACKS = new AllowedOrigins.Use("callbacks", "worker.callback.allowedOrigins");

    private static boolean permits(String list, String url) {
        return AllowedOrigins.parse(list).permits(URI.create(url));
    }

    @Test
    void anOriginAllowsItsSchemeHostAndPortOnly() {
        AllowedOrigins origins = AllowedOrigins.parse("http://127.0.0.1:8080, https://api.example.com:8443");

        assertTrue(origins.permits(URI.create("http://127.0.0.1:8080/done?x=1")));
        assertTrue(origins.permits(URI.create("https://api.example.com:8443/")));
        assertFalse(origins.permits(URI.create("http://127.0.0.1:8081/done")), "another port of the same host");
        assertFalse(origins.permits(URI.create("http://127.0.0.1/done")), "the default port of the same host");
        assertFalse(origins.permits(URI.create("https://127.0.0.1:8080/done")), "another scheme on the same port");
        assertFalse(origins.permits(URI.create("http://api.example.com:8443/")));
        assertFalse(origins.permits(URI.create("https://api.example.com/")));
        assertFalse(origins.permits(URI.create("http://127.0.0.2:8080/")));
    }

    @Test
    void aBareHostMeansItsDefaultPortsOnly() {
        AllowedOrigins origins = AllowedOrigins.parse("hooks.example.com");

        assertTrue(origins.permits(URI.create("http://hooks.example.com/x")));
        assertTrue(origins.permits(URI.create("http://hooks.example.com:80/x")));
        assertTrue(origins.permits(URI.create("https://hooks.example.com/x")));
        assertTrue(origins.permits(URI.create("https://hooks.example.com:443/x")));
        assertFalse(origins.permits(URI.create("http://hooks.example.com:443/x")));
        assertFalse(origins.permits(URI.create("https://hooks.example.com:80/x")));
        assertFalse(origins.permits(URI.create("http://hooks.example.com:8080/x")));
        assertFalse(origins.permits(URI.create("http://hooks.example.com:5432/x")));
    }

    @Test
    void anOriginWithoutAPortMeansItsSchemesDefaultPort() {
        assertTrue(permits("https://hooks.example.com", "https://hooks.example.com:443/x"));
        assertFalse(permits("https://hooks.example.com", "http://hooks.example.com/x"));
        assertTrue(permits("http://hooks.example.com/", "http://hooks.example.com/x"));
    }

    @Test
    void schemesAndHostsMatchWithoutRegardToCaseOrAFinalDot() {
        assertTrue(permits("HTTP://LocalHost:9080", "http://localhost:9080/done"));
        assertTrue(permits("http://localhost:9080", "HTTP://LOCALHOST:9080/done"));
        assertTrue(permits("http://localhost:9080", "http://localhost.:9080/done"));
        assertTrue(permits("http://localhost.:9080", "http://localhost:9080/done"));
        assertFalse(permits("http://localhost:9080", "http://localhost.evil.com:9080/done"));
    }

    @Test
    void aWildcardMeansEveryHostUnderTheDomainOnTheOriginsPort() {
        AllowedOrigins origins = AllowedOrigins.parse("https://*.example.com, *.example.org");

        assertTrue(origins.permits(URI.create("https://a.example.com/")));
        assertTrue(origins.permits(URI.create("https://a.b.EXAMPLE.com./")));
        assertFalse(origins.permits(URI.create("https://example.com/")));
        assertFalse(origins.permits(URI.create("https://badexample.com/")));
        assertFalse(origins.permits(URI.create("https://example.com.evil.net/")));
        assertFalse(origins.permits(URI.create("https://a.example.com:8443/")));
        assertFalse(origins.permits(URI.create("http://a.example.com/")));
        assertTrue(origins.permits(URI.create("http://a.example.org/")));
        assertTrue(origins.permits(URI.create("https://a.example.org/")));
        assertFalse(origins.permits(URI.create("http://a.example.org:8080/")));
    }

    @Test
    void ipv6LiteralsMatchInAnySpelling() {
        AllowedOrigins origins = AllowedOrigins.parse("http://[::1]:8080, [2001:db8::7], ::2");

        assertTrue(origins.permits(URI.create("http://[::1]:8080/")));
        assertTrue(origins.permits(URI.create("http://[0:0:0:0:0:0:0:1]:8080/")));
        assertFalse(origins.permits(URI.create("http://[::1]:8081/")));
        assertFalse(origins.permits(URI.create("http://[::1]/")));
        assertTrue(origins.permits(URI.create("https://[2001:DB8:0:0:0:0:0:7]/")));
        assertFalse(origins.permits(URI.create("https://[2001:db8::7]:8443/")));
        assertTrue(origins.permits(URI.create("http://[::2]/")));
        assertEquals("[http://[::1]:8080, http://[2001:db8::7]:80, https://[2001:db8::7]:443, http://[::2]:80, https://[::2]:443]",
                origins.toString(), "in their shortest spelling");
    }

    @Test
    void aUrlIsJudgedByTheOriginItConnectsToNotItsUserInfo() {
        AllowedOrigins origins = AllowedOrigins.parse("http://localhost:9080");

        assertTrue(origins.permits(URI.create("http://user:pw@localhost:9080/done")));
        assertFalse(origins.permits(URI.create("http://localhost:9080@169.254.169.254/latest/meta-data")));
        assertFalse(origins.permits(URI.create("http://localhost@169.254.169.254:9080/")));
        assertFalse(origins.permits(URI.create("/relative")));
        assertFalse(origins.permits(URI.create("ftp://localhost:9080/")));
        assertFalse(origins.permits(null));
    }

    @Test
    void otherSpellingsOfAnAllowedAddressAreRefusedNotGuessedAt() {
        AllowedOrigins origins = AllowedOrigins.parse("http://127.0.0.1:8080");

        assertFalse(origins.permits(URI.create("http://2130706433:8080/")));
        assertFalse(origins.permits(URI.create("http://127.1:8080/")));
        assertFalse(origins.permits(URI.create("http://0x7f.0.0.1:8080/")));
    }

    @Test
    void nothingMatchesAnEmptyList() {
        assertTrue(AllowedOrigins.parse("").isEmpty());
        assertTrue(AllowedOrigins.parse(" , ").isEmpty());
        assertTrue(AllowedOrigins.parse(null).isEmpty());
        assertFalse(AllowedOrigins.parse("").permits(URI.create("http://localhost/")));
        assertFalse(AllowedOrigins.parse("").permits(URI.create("http://127.0.0.1:18765/internal-secret")));
    }

    @Test
    void aRefusalNamesTheFieldTheOriginAndTheSettingToEdit() {
        AllowedOrigins origins = AllowedOrigins.parse("http://127.0.0.1:8080");

        assertEquals("\"callbackUrl\" origin http://127.0.0.1:5432 is not in worker.callback.allowedOrigins"
                + " (an admin lists there the origins the worker may call)", origins.refusal("callbackUrl", "http://127.0.0.1:5432/x", CALLBACKS).orElseThrow());
        assertEquals("\"callbackUrl\" origin https://localhost:443 is not in worker.callback.allowedOrigins"
                + " (an admin lists there the origins the worker may call)", origins.refusal("callbackUrl", "HTTPS://LocalHost/x", CALLBACKS).orElseThrow());
        assertTrue(origins.refusal("callbackUrl", "http://127.0.0.1:8080/x", CALLBACKS).isEmpty());
        assertEquals("\"callbackUrl\" must be an absolute http or https URL", origins.refusal("callbackUrl", "file:///etc/passwd", CALLBACKS).orElseThrow());
        assertEquals("\"callbackUrl\" is not a valid URL", origins.refusal("callbackUrl", "http://a b/", CALLBACKS).orElseThrow());
    }

    @Test
    void withAnEmptyListTheRefusalSaysTheFeatureIsOff() {
        assertEquals("\"payload.url\": fetch jobs are off: no origin is listed in worker.fetch.allowedOrigins"
                        + " (an admin lists there the origins the worker may call, as scheme://host:port)",
                AllowedOrigins.parse("").refusal("payload.url", "http://127.0.0.1:18765/internal-secret",
                        new AllowedOrigins.Use("fetch jobs", "worker.fetch.allowedOrigins")).orElseThrow());
    }

    @Test
    void itPrintsItsOriginsNormalizedInOrderWithoutDuplicates() {
        assertEquals("[http://localhost:80, https://localhost:443, http://127.0.0.1:8080, https://*.example.com:443]",
                AllowedOrigins.parse(" LOCALHOST ,HTTP://127.0.0.1:8080,, https://*.Example.com/, https://localhost:443, localhost.").toString());
        assertEquals(AllowedOrigins.parse("http://a:1,b"), AllowedOrigins.parse("HTTP://A:1, B"));
    }

    @Test
    void theOriginOfAUrlAlwaysNamesItsPort() {
        assertEquals("http://127.0.0.1:80", AllowedOrigins.origin(URI.create("http://127.0.0.1/x")));
        assertEquals("https://localhost:8443", AllowedOrigins.origin(URI.create("HTTPS://user@LocalHost:8443/x?y")));
        assertEquals("http://[::1]:9", AllowedOrigins.origin(URI.create("http://[::1]:9/")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"*", "*.", "a*.example.com", "*example.com", "localhost:8080", "ftp://localhost", "http://", "http://:80",
            "http://localhost:0", "http://localhost:65536", "http://localhost:80x", "http://localhost/path", "http://user@localhost",
            "a b", "host/path", "user@host", "[::1", "http://::1:80", "http://[::1]x", "mailto:a@b", "http://[127.0.0.1]",
            "*.[::1]", "https://*.[::1]"})
    void anEntryThatIsNoOriginIsRefusedByName(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AllowedOrigins.parse("localhost," + entry));
        assertTrue(e.getMessage().contains("'" + entry + "'"), e.getMessage());
    }
}
