package io.workerrole.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** One parser and one form for the origins of the allow-lists and of the cross-site guard. */
class WebOriginTest {

    @Test
    void anOriginIsItsSchemeHostAndPortWithDefaultPortsFilledInAndCaseIgnored() {
        assertEquals(new WebOrigin("https", "worker.example.com", 443), WebOrigin.parse("HTTPS://Worker.Example.COM"));
        assertEquals(new WebOrigin("http", "worker.example.com", 80), WebOrigin.parse("http://worker.example.com:80/"));
        assertEquals(new WebOrigin("http", "worker.example.com", 80), new WebOrigin("HTTP", "WORKER.example.com", 80));
        assertEquals("https://worker.example.com:443", WebOrigin.parse("https://worker.example.com").toString());
        assertEquals("http://localhost.:9080", WebOrigin.parse("http://localhost.:9080").toString(), "a final dot is part of a browser's origin");
    }

    @Test
    void anIpv6HostIsBracketedInItsShortestSpellingWhateverWayItWasWritten() {
        WebOrigin loopback = new WebOrigin("http", "[::1]", 9080);
        assertEquals("[::1]", loopback.host());
        assertEquals(loopback, WebOrigin.parse("http://[::1]:9080"));
        assertEquals(loopback, WebOrigin.parse("http://[0:0:0:0:0:0:0:1]:9080"));
        assertEquals(loopback, new WebOrigin("http", "::1", 9080), "as Liberty's httpEndpoint takes it");
        assertEquals("http://[2001:db8::7]:80", WebOrigin.parse("http://[2001:DB8:0:0:0:0:0:7]").toString());
        assertEquals("http://[2001:db8::1:0:0:1]:80", WebOrigin.parse("http://[2001:db8:0:0:1:0:0:1]").toString(), "the first of two equal runs");
        assertEquals("http://[1::]:80", WebOrigin.parse("http://[1:0:0:0:0:0:0:0]").toString());
        assertEquals("http://[1:0:2:3:4:5:6:7]:80", WebOrigin.parse("http://[1:0:2:3:4:5:6:7]").toString(), "one zero group stays");
        assertEquals("http://[::]:80", WebOrigin.parse("http://[::]").toString());
        assertEquals("http://127.0.0.1:80", WebOrigin.parse("http://[::ffff:127.0.0.1]").toString(), "an IPv4-mapped address is its IPv4 address");
    }

    @Test
    void theOriginOfAUrlIsTheOneItsClientConnectsTo() {
        assertEquals("http://169.254.169.254:80", WebOrigin.of(URI.create("http://localhost:9080@169.254.169.254/latest")).toString());
        assertEquals("https://[::1]:8443", WebOrigin.of(URI.create("HTTPS://user@[0::1]:8443/x?y#z")).toString());
        for (String noOrigin : new String[] {"/relative", "ftp://localhost/", "http://127.1/", "http://localhost:0/",
                "http://localhost:65536/", "mailto:a@b"}) {
            assertThrows(IllegalArgumentException.class, () -> WebOrigin.of(URI.create(noOrigin)), noOrigin);
        }
        assertThrows(IllegalArgumentException.class, () -> WebOrigin.of(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "", "worker.example.com", "ftp://worker.example.com", "file:///etc", "https://", "http://:80",
            "https://worker.example.com/dashboard", "https://user@worker.example.com", "https://worker.example.com?x=1",
            "https://worker.example.com#top", "http://[::1", "http://[::1]x", "http://::1:80", "http://localhost:", "http://localhost:0",
            "http://localhost:65536", "http://localhost:80x", "http://[127.0.0.1]", "http://[fe80::1%eth0]", "http://*.example.com",
            "http://a b", "http://localhost//"})
    void whatIsNotAnHttpOriginIsRefusedNamingIt(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebOrigin.parse(text));
        assertEquals(text, e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
    }

    @Test
    void theOnlyOriginsAreHttpAndHttpsOnePortInRange() {
        assertThrows(IllegalArgumentException.class, () -> new WebOrigin("ftp", "localhost", 21));
        assertThrows(IllegalArgumentException.class, () -> new WebOrigin("http", "localhost", 0));
        assertThrows(IllegalArgumentException.class, () -> new WebOrigin("http", "localhost", 65536));
        assertThrows(IllegalArgumentException.class, () -> new WebOrigin("http", null, 80));
        assertEquals(65535, new WebOrigin("http", "localhost", 65535).port());
    }
}
