package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.WorkerServer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * The JMS contract ({@link JmsContract}) on Liberty's embedded messaging engine, the worker's
 * default broker: the test server, with the probe in the worker's deployment.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JmsJobsIT extends JmsContract {

    private static final String APP = "jmsjobs";
    private final Api api = new Api(APP);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP);
    }

    @BeforeEach
    void workerIsReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
    }

    @Override
    Api api() {
        return api;
    }

    @Override
    Api probe() {
        return api;
    }
}
