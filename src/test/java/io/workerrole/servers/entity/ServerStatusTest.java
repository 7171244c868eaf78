package io.workerrole.servers.entity;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerStatusTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Instant SEEN = Instant.parse("2026-01-01T00:00:00Z");
    private final ServerStatus server = new ServerStatus("a@h", "h", SEEN.minusSeconds(60), SEEN, "RUNNING", false, 0, 16,
            new ServerProfile("worker", "1.0", List.of("echo")));

    @Test
    void aServerIsGoneOnlyOnceItsLastBeatIsOlderThanTheLease() {
        assertFalse(server.goneAt(SEEN, LEASE));
        assertFalse(server.goneAt(SEEN.plus(LEASE), LEASE), "a whole lease old: the next beat may still be on its way");
        assertTrue(server.goneAt(SEEN.plus(LEASE).plusMillis(1), LEASE));
    }
}
