package io.workerrole.it;

import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker set to listen beyond its own machine while a password is still the one
 * server-config ships with refuses to start: it runs no job and takes none, and says why.
 */
@ConcurrentClass
class ShippedPasswordsIT {

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    @Test
    void aWorkerOpenedBeyondLoopbackWithAShippedPasswordRefusesToStartAndSaysWhy() throws Exception {
        LibertyServer server = SERVERS.create("workerShippedIT", Map.of(
                "worker.user.admin.password", "admin-change-me",
                // TEST-NET-1: an address of no interface here, so the test listens on nothing beyond loopback
                "worker.http.host", "192.0.2.1"));
        Path log = server.dir().resolve("logs/messages.log");
        server.launch();

        String refusal = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.exists(log) ? Files.readString(log) : "", text -> text.contains("Refusing to start"));
        assertTrue(refusal.contains("worker.http.host=192.0.2.1 with the shipped passwords of worker.user.admin.password"), refusal);
        assertTrue(refusal.contains("refused to start the worker"), "the start hooks stop there");
        assertFalse(refusal.contains("Worker role running"), "no background task, so no job, runs");
    }
}
