package io.workerrole.it.support;

import io.workerrole.testing.LocalPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The Liberty servers of one test class ({@link LibertyServer}), registered as a static field with
 * {@code @RegisterExtension}. Each server it makes gets ports of its own from {@link FreePorts}
 * (HTTP, HTTPS and the embedded engine's JMS port), so classes that run at the same time never
 * meet on a port. After the class, whatever happened in it, each server is stopped, then the
 * class's other resources ({@link #closeAfter}) are closed, the latest first. When a test of the
 * class failed (or its set-up did), each server's logs and configuration are kept in
 * target/failsafe-reports/CLASS/SERVER/ and the place is printed; otherwise the servers' folders
 * are deleted.
 */
public final class LibertyServers implements AfterEachCallback, AfterAllCallback {

    private static final Path REPORTS = Path.of("target/failsafe-reports");

    private final List<LibertyServer> servers = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> resources = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean failed;

    /**
     * Makes a fresh server from server-config/ (see {@link LibertyServer}) on free ports.
     *
     * @param variables server.xml variables to override, on top of the ports and the test passwords
     */
    public LibertyServer create(String name, Map<String, String> variables) throws IOException {
        return add(LibertyServer.create(name, FreePorts.next(), FreePorts.next(), FreePorts.next(), variables));
    }

    /**
     * Makes a fresh server with a server.xml of the test's own and one application.
     *
     * @param serverXml the server.xml, given the free HTTP port it is to listen on
     */
    public LibertyServer create(String name, IntFunction<String> serverXml, Path war) throws IOException {
        int httpPort = FreePorts.next();
        return add(LibertyServer.create(name, httpPort, serverXml.apply(httpPort), war));
    }

    /**
     * Makes a fresh server whose job store is the PostgreSQL database ({@code jdbc/workerPostgres}
     * on 127.0.0.1), with its name as its {@code worker.serverId}: what each server of a test of
     * several on one store needs.
     *
     * @param database a database of the class's own ({@link #createDatabase})
     * @param variables further server.xml variables
     */
    public LibertyServer createOnPostgres(String name, String database, Map<String, String> variables) throws IOException {
        Map<String, String> all = new HashMap<>(Map.of(
                "worker.datasource", "jdbc/workerPostgres",
                "worker.postgres.database", database,
                "worker.serverId", name));
        all.putAll(variables);
        return create(name, all);
    }

    /** Creates the PostgreSQL database, dropped after the class once its servers are stopped ({@link #closeAfter}). */
    public void createDatabase(String database) throws SQLException {
        LocalPostgres.createDatabase(database);
        closeAfter(() -> LocalPostgres.dropDatabase(database));
    }

    /** @return a free port for something else of the test's own (a broker, a listener) */
    public int freePort() {
        return FreePorts.next();
    }

    /**
     * Closes this (a broker, a database) after the class, once its servers are stopped: a worker
     * stopped after its broker or database went away would wait for them on its way down.
     *
     * @return the resource
     */
    public <T extends AutoCloseable> T closeAfter(T resource) {
        resources.add(resource);
        return resource;
    }

    private LibertyServer add(LibertyServer server) {
        servers.add(server);
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            failed = true;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        // The class's own context holds a failure of its @BeforeAll or @AfterAll.
        boolean keepLogs = failed || context.getExecutionException().isPresent();
        List<Exception> problems = new ArrayList<>();
        List<LibertyServer> stopped = new ArrayList<>();
        for (LibertyServer server : servers) {
            try {
                server.stop();
                stopped.add(server);
            } catch (RuntimeException e) {
                problems.add(e);
                keepLogs = true;
            }
        }
        List<AutoCloseable> closing = new ArrayList<>(resources);
        Collections.reverse(closing);
        for (AutoCloseable resource : closing) {
            try {
                resource.close();
            } catch (Exception e) {
                problems.add(e);
            }
        }
        for (LibertyServer server : servers) {
            try {
                if (keepLogs) {
                    keepLogs(context.getRequiredTestClass().getSimpleName(), server);
                } else if (stopped.contains(server)) {
                    server.deleteFolder();
                }
            } catch (IOException e) {
                problems.add(e);
            }
        }
        if (!problems.isEmpty()) {
            Exception first = problems.get(0);
            problems.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** Copies the server's logs (messages, console, trace, FFDC) and the configuration the test gave it. */
    private static void keepLogs(String testClass, LibertyServer server) throws IOException {
        Path target = REPORTS.resolve(testClass).resolve(server.name()).toAbsolutePath();
        for (String part : List.of("logs", "configDropins", "server.xml", "bootstrap.properties", "jvm.options")) {
            copy(server.dir().resolve(part), target.resolve(part));
        }
        System.out.println("[" + testClass + "] a test failed: the logs of server " + server.name() + " are in " + target);
    }

    private static void copy(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
