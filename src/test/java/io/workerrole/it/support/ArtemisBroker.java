package io.workerrole.it.support;

import jakarta.jms.JMSContext;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An Apache ActiveMQ Artemis broker of a test's own, made and run the way an admin does it:
 * with {@code liberty/artemis.sh}, from the distribution the build unpacked, listening on
 * 127.0.0.1 on a port of the test's choosing, with the users of {@link User} and their test
 * passwords. Its instance lives under target/artemis-it/ and is made anew each time. Two of them
 * make an {@link ArtemisPair}.
 */
public final class ArtemisBroker implements AutoCloseable {

    private static final Path SCRIPT = Path.of("liberty/artemis.sh").toAbsolutePath();

    private final Path instance;
    private final int port;
    /** More of the script's settings (WORKER_ARTEMIS_HA, ...), beside the port and the users. */
    private final Map<String, String> settings;
    /** The clients' factory, made at the first {@link #context}, closed by {@link #stop} (it holds the client's threads). */
    private ActiveMQConnectionFactory clients;

    private ArtemisBroker(Path instance, int port, Map<String, String> settings) {
        this.instance = instance;
        this.port = port;
        this.settings = settings;
    }

    /** Creates a fresh broker instance (any old one of this name is stopped and deleted). */
    public static ArtemisBroker create(String name, int port) throws IOException {
        return create(name, port, Map.of());
    }

    /** Creates a fresh broker instance with more of liberty/artemis.sh's settings. */
    static ArtemisBroker create(String name, int port, Map<String, String> settings) throws IOException {
        ArtemisBroker broker = new ArtemisBroker(Path.of("target/artemis-it").resolve(name).toAbsolutePath(), port, settings);
        if (Files.exists(broker.instance)) {
            // One that an interrupted run left running would hold the port.
            broker.stop();
            broker.deleteInstance();
        }
        broker.script("create");
        return broker;
    }

    /** Starts the broker and returns once it takes connections. */
    public ArtemisBroker start() {
        script("start");
        return this;
    }

    /** Stops the broker (the script kills it if it does not stop within 30 s). */
    public void stop() {
        if (clients != null) {
            clients.close();
            clients = null;
        }
        script("stop");
    }

    @Override
    public void close() {
        stop();
    }

    /** Kills the broker's JVM at once (kill -9 of the pid in its data/artemis.pid), and returns once it is gone. */
    public void kill() throws IOException {
        long pid = Long.parseLong(Files.readString(instance.resolve("data/artemis.pid")).trim());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no broker process " + pid));
        process.destroyForcibly();
        process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** @return the port of the broker's one acceptor, every protocol (a backup listens once it is live) */
    public int port() {
        return port;
    }

    /**
     * @return the server.xml variables that point a worker at this broker (which also needs
     *         worker.messaging=artemis among its bootstrap properties)
     */
    public Map<String, String> workerVariables() {
        return Map.of("worker.artemis.port", Integer.toString(port));
    }

    /** @return a JMS context signed in as this user, from a plain Java SE client (Artemis's own) */
    public JMSContext context(User user) {
        return context(user, JMSContext.AUTO_ACKNOWLEDGE);
    }

    /** @return as {@link #context(User)}, in this session mode ({@link JMSContext#SESSION_TRANSACTED}, say) */
    public JMSContext context(User user, int sessionMode) {
        if (clients == null) {
            clients = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port);
        }
        return clients.createContext(user.name(), user.password(), sessionMode);
    }

    /**
     * @return a JMS context signed in as this user over AMQP 1.0, from Qpid JMS: a client that is
     *         not Artemis's own, on the same acceptor
     */
    public JMSContext amqpContext(User user) {
        return new JmsConnectionFactory("amqp://127.0.0.1:" + port).createContext(user.name(), user.password());
    }

    private void script(String command) {
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), command).inheritIO();
        Map<String, String> environment = builder.environment();
        String home = System.getProperty("artemis.home");
        if (home != null) {
            environment.put("ARTEMIS_HOME", home);
        }
        environment.put("ARTEMIS_INSTANCE", instance.toString());
        environment.put("WORKER_ARTEMIS_PORT", Integer.toString(port));
        environment.put("WORKER_JMS_USER", User.WORKER.name());
        environment.put("WORKER_JMS_PASSWORD", User.WORKER.password());
        environment.put("WORKER_USER_SUBMITTER_PASSWORD", User.SUBMITTER.password());
        environment.put("WORKER_USER_OPERATOR_PASSWORD", User.OPERATOR.password());
        environment.put("WORKER_USER_ADMIN_PASSWORD", User.ADMIN.password());
        environment.putAll(settings);
        try {
            Process process = builder.start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("liberty/artemis.sh " + command + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("liberty/artemis.sh " + command + " exited " + process.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void deleteInstance() throws IOException {
        try (Stream<Path> files = Files.walk(instance)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
