package io.workerrole.it.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * An Artemis broker ({@link ArtemisBroker}) and one worker server on it (worker.messaging=artemis,
 * with the JMS probe), shared by the test classes that need a broker but not one of their own
 * (ArtemisIT, ArtemisClientsIT): started for the first class that asks for it, stopped when the
 * test run ends, so that the run starts one broker and one server for them rather than one per
 * class. A class that asks for it must leave both as it found them (a freeze lifted, a broker
 * restarted). Ask for it in a {@code @BeforeAll} parameter under
 * {@code @ExtendWith(ArtemisWorker.Shared.class)}.
 */
public final class ArtemisWorker implements AutoCloseable {

    /**
     * The {@code @ResourceLock} of the classes that share it: one at a time, since each may stop
     * the broker or freeze the worker for a while.
     */
    public static final String SHARED = "ArtemisWorker";

    private static final String PROBE_READY = "/probe/probe/jms/depth?queue=jms/worker/replies";

    private final ArtemisBroker broker;
    private final LibertyServer server;

    private ArtemisWorker(ArtemisBroker broker, LibertyServer server) {
        this.broker = broker;
        this.server = server;
    }

    public ArtemisBroker broker() {
        return broker;
    }

    public LibertyServer server() {
        return server;
    }

    private static ArtemisWorker start() {
        ArtemisBroker broker = null;
        try {
            broker = ArtemisBroker.create("artemisIT", FreePorts.next()).start();
            Map<String, String> variables = new HashMap<>(broker.workerVariables());
            // As on the Arquillian test server, so that a dying job's attempts take seconds, not a minute.
            variables.put("worker.retry.backoff", "PT0.2S");
            variables.put("worker.retry.maxBackoff", "PT1S");
            LibertyServer server = LibertyServer.create("workerArtemisIT", FreePorts.next(), FreePorts.next(), FreePorts.next(), variables)
                    .bootstrapProperty("worker.messaging", "artemis")
                    .withJmsProbe()
                    .start();
            await().atMost(Duration.ofSeconds(30)).until(() -> server.status(PROBE_READY) == 200);
            return new ArtemisWorker(broker, server);
        } catch (Exception e) {
            if (broker != null) {
                broker.stop();
            }
            throw new IllegalStateException("The shared Artemis broker and worker did not start", e);
        }
    }

    /** Stops the worker, then the broker. */
    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            broker.stop();
        }
    }

    /**
     * Hands the one {@link ArtemisWorker} of the test run to a parameter of that type, starting it
     * the first time; JUnit closes it with the run's root store.
     */
    public static final class Shared implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ArtemisWorker.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(ArtemisWorker.class, key -> start(), ArtemisWorker.class);
        }
    }
}
