package io.workerrole.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllowedHostsTest {

    @Test
    void exactNamesAndAddressesMatchWithoutRegardToCase() {
        AllowedHosts hosts = AllowedHosts.parse("localhost, 127.0.0.1,Api.Example.COM");

        assertTrue(hosts.permits("localhost"));
        assertTrue(hosts.permits("LOCALHOST"));
        assertTrue(hosts.permits("127.0.0.1"));
        assertTrue(hosts.permits("api.example.com"));
        assertFalse(hosts.permits("example.com"));
        assertFalse(hosts.permits("www.api.example.com"));
        assertFalse(hosts.permits("127.0.0.2"));
        assertFalse(hosts.permits("localhost.evil.com"));
    }

    @Test
    void aWildcardMeansEveryHostUnderTheDomainButNotTheDomainItself() {
        AllowedHosts hosts = AllowedHosts.parse("*.example.com");

        assertTrue(hosts.permits("a.example.com"));
        assertTrue(hosts.permits("a.b.EXAMPLE.com"));
        assertFalse(hosts.permits("example.com"));
        assertFalse(hosts.permits("badexample.com"));
        assertFalse(hosts.permits("example.com.evil.net"));
        assertFalse(hosts.permits(".example.com"));
    }

    @Test
    void ipv6LiteralsMatchInAnySpellingWithOrWithoutBrackets() {
        AllowedHosts hosts = AllowedHosts.parse("::1, [2001:db8::7]");

        assertTrue(hosts.permits("[::1]"));
        assertTrue(hosts.permits("0:0:0:0:0:0:0:1"));
        assertTrue(hosts.permits("[2001:DB8:0:0:0:0:0:7]"));
        assertFalse(hosts.permits("[::2]"));
        assertFalse(hosts.permits("[::1%eth0]"));
    }

    @Test
    void aUriIsJudgedByTheHostItConnectsToNotItsUserInfo() {
        AllowedHosts hosts = AllowedHosts.parse("localhost");

        assertTrue(hosts.permits(URI.create("http://localhost:9080/done")));
        assertTrue(hosts.permits(URI.create("http://LocalHost/done")));
        assertFalse(hosts.permits(URI.create("http://localhost@169.254.169.254/latest/meta-data")));
        assertFalse(hosts.permits(URI.create("http://localhost:pw@169.254.169.254/")));
        assertFalse(hosts.permits(URI.create("/relative")));
        assertFalse(hosts.permits((URI) null));
        assertTrue(AllowedHosts.parse("[::1]").permits(URI.create("http://[::1]:8080/")));
    }

    @Test
    void aFinalDotNamesTheSameHost() {
        assertTrue(AllowedHosts.parse("localhost").permits("localhost."));
        assertTrue(AllowedHosts.parse("localhost.").permits("localhost"));
        assertTrue(AllowedHosts.parse("*.example.com").permits("a.example.com."));
    }

    @Test
    void otherSpellingsOfAnAllowedAddressAreRefusedNotGuessedAt() {
        AllowedHosts hosts = AllowedHosts.parse("127.0.0.1");

        assertFalse(hosts.permits("2130706433"));
        assertFalse(hosts.permits("127.1"));
        assertFalse(hosts.permits("0x7f.0.0.1"));
    }

    @Test
    void nothingMatchesAnEmptyListOrAMissingHost() {
        assertFalse(AllowedHosts.parse("").permits("localhost"));
        assertFalse(AllowedHosts.parse(" , ").permits("localhost"));
        assertFalse(AllowedHosts.parse("localhost").permits((String) null));
        assertFalse(AllowedHosts.parse("localhost").permits(""));
    }

    @Test
    void itPrintsItsEntriesNormalizedInOrderForErrorMessages() {
        assertEquals("[localhost, 127.0.0.1, *.example.com, 0:0:0:0:0:0:0:1]",
                AllowedHosts.parse(" LOCALHOST ,127.0.0.1,, *.Example.com, [0:0:0:0:0:0:0:1], localhost").toString());
        assertEquals(AllowedHosts.parse("a,b"), AllowedHosts.parse("A, B"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"*", "*.", "a*.example.com", "*example.com", "localhost:8080", "http://localhost", "a b", "host/path", "user@host", "[::1"})
    void anEntryThatIsNoHostIsRefusedByName(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AllowedHosts.parse("localhost," + entry));
        assertTrue(e.getMessage().contains("'" + entry + "'"), e.getMessage());
    }
}
