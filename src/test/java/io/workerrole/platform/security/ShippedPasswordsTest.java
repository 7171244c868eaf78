package io.workerrole.platform.security;

import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped passwords that the start check knows are the ones server-config ships with (those with a value). */
class ShippedPasswordsTest {

    @Test
    void theCheckKnowsEveryPasswordServerConfigShipsWith() throws Exception {
        Map<String, String> shipped = new TreeMap<>();
        try (var files = Files.list(Path.of("server-config"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".xml")).toList()) {
                var variables = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getElementsByTagName("variable");
                for (int i = 0; i < variables.getLength(); i++) {
                    var variable = (org.w3c.dom.Element) variables.item(i);
                    // An empty default ships no password (worker.postgres.password: trust authentication until set).
                    if (variable.getAttribute("name").endsWith(".password") && !variable.getAttribute("defaultValue").isEmpty()) {
                        shipped.put(variable.getAttribute("name"), variable.getAttribute("defaultValue"));
                    }
                }
            }
        }
        assertEquals(shipped, ShippedPasswordsCheck.SHIPPED);
    }

    @Test
    void onlyLocalhostAndLoopbackAddressesCountAsThisMachineOnly() {
        for (String loopback : new String[] {"localhost", "LOCALHOST", "127.0.0.1", "127.0.0.2", "::1", "[::1]"}) {
            assertTrue(ShippedPasswordsCheck.isLoopback(loopback), loopback);
        }
        for (String exposed : new String[] {"*", "0.0.0.0", "192.0.2.1", "worker.example.com", "::"}) {
            assertFalse(ShippedPasswordsCheck.isLoopback(exposed), exposed);
        }
    }
}
