package io.workerrole.it;

import io.workerrole.it.library.ShoutJob;
import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Job handlers can live outside the WAR: a jar with a beans.xml in a Liberty library that the
 * worker application's class loader names as its private library, as an admin would configure
 * it. (A private library is loaded with the application, so its beans see the worker's API and
 * beans; a common library sees only itself: {@link CommonLibraryHandlerIT}.)
 */
@ConcurrentClass
class SharedLibraryHandlerIT {

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;

    @BeforeAll
    static void startServerWithAHandlerLibrary() throws Exception {
        // Deployed through server.xml instead of dropins, so that its class loader can name the library.
        server = SERVERS.create("workerLibraryIT", Map.of()).withHandlerLibrary(ShoutJob.class);
        server.start();
    }

    @Test
    void aHandlerFromASharedLibraryRunsJobsOfItsType() {
        Api api = server.api();
        Api.Answer accepted = api.submit("{\"type\": \"shout\", \"payload\": \"hello\"}");
        assertEquals(202, accepted.status(), accepted.body());

        String id = accepted.json().getString("id");
        assertEquals("\"HELLO!\"", api.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30)).get("result").toString());
    }
}
