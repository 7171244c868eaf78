package io.workerrole.it;

import io.workerrole.it.library.ShoutJob;
import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Job handlers in a Liberty common library, shared by applications: the library holds the API
 * jar and the handler jar, and the worker is the WAR without its own copy of the API
 * ({@code worker-role-thin.war}), so {@code io.workerrole.api} loads once, from the library, for
 * the worker and the handlers. (With the full WAR the worker would load its own copy first, and
 * a handler of the library's copy would be no {@code JobHandler} to it.) Liberty lets a library's
 * beans see only the library, so they cannot have the worker's beans, such as {@code Jobs},
 * injected: a handler that needs them belongs in a private library (the README says so).
 */
@ConcurrentClass
class CommonLibraryHandlerIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path THIN_WAR = Path.of("target/worker-role-thin.war");

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;
    private static Api api;

    @BeforeAll
    static void startServerWithACommonHandlerLibrary() throws Exception {
        server = SERVERS.create("workerCommonLibraryIT", Map.of())
                .withCommonHandlerLibrary(THIN_WAR, Path.of("target/api/worker-role-api.jar"), ShoutJob.class)
                .start();
        api = server.api();
    }

    @Test
    void theThinWarCarriesNoCopyOfTheApi() throws IOException {
        try (ZipFile war = new ZipFile(THIN_WAR.toFile())) {
            assertTrue(war.stream().noneMatch(entry -> entry.getName().startsWith("WEB-INF/classes/io/workerrole/api/")),
                    "io.workerrole.api classes in " + THIN_WAR);
            assertTrue(war.getEntry("WEB-INF/classes/io/workerrole/jobs/control/HandlerRegistry.class") != null,
                    "the worker's own classes missing from " + THIN_WAR);
        }
    }

    @Test
    void aHandlerFromACommonLibraryRunsJobsOfItsType() {
        Api.Answer accepted = api.submit("{\"type\": \"shout\", \"payload\": \"hello\"}");
        assertEquals(202, accepted.status(), accepted.body());

        assertEquals("\"HELLO!\"", api.awaitState(accepted.json().getString("id"), "SUCCEEDED", WAIT).get("result").toString());
    }
}
