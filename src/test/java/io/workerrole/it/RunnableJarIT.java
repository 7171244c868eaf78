package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.FreePorts;
import io.workerrole.it.support.User;
import io.workerrole.testing.LocalPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The runnable JAR ({@code target/worker-role.jar}, docs/kubernetes.md) as a container runs it:
 * {@code java -jar} with the settings as environment variables only (Liberty's rule: a variable
 * {@code default.http.port} is also looked up as {@code DEFAULT_HTTP_PORT}) and a bootstrap
 * property in {@code JVM_ARGS}; it gets ready, runs a job over HTTP, and on SIGTERM (what
 * Kubernetes sends a pod) stops as a server stops: a running job back in the queue, the server's
 * own JVM gone and the extracted files deleted. Its job store is a PostgreSQL database of its
 * own, as a fleet's is, with the wake-ups across servers on.
 */
@ConcurrentClass
class RunnableJarIT {

    private final Path jar = Path.of(System.getProperty("runnable.jar", "target/worker-role.jar")).toAbsolutePath();
    private final String database = LocalPostgres.uniqueDatabaseName("worker_jar_it");
    private Process launcher;
    private Path work;

    @Test
    void theJarStartsFromEnvironmentVariablesRunsAJobAndStopsCleanlyOnSigterm() throws Exception {
        assumeFalse(Boolean.getBoolean("runnable.jar.skip"), "the build was asked not to make the jar (-Drunnable.jar.skip=true)");
        assertTrue(Files.isRegularFile(jar), "the build makes " + jar + " (liberty:package, include=runnable)");
        int http = FreePorts.next();
        work = Files.createTempDirectory(Path.of("target"), "runnable-jar-it");
        Path extractRoot = Files.createDirectories(work.resolve("extract"));
        Path console = work.resolve("console.log");
        String serverId = "jar-it-" + http;

        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(console.toFile());
        Map<String, String> env = builder.environment();
        env.put("WLP_JAR_EXTRACT_ROOT", extractRoot.toString());
        env.put("DEFAULT_HTTP_PORT", Integer.toString(http));
        env.put("DEFAULT_HTTPS_PORT", Integer.toString(FreePorts.next()));
        env.put("WORKER_JMS_PORT", Integer.toString(FreePorts.next()));
        env.put("WORKER_STOPPINGWAITTIME", "PT2S");
        // The job store of a fleet, as docs/kubernetes/ sets it (with trust authentication any password passes)
        LocalPostgres.createDatabase(database);
        env.put("WORKER_DATASOURCE", "jdbc/workerPostgres");
        env.put("WORKER_POSTGRES_DATABASE", database);
        env.put("WORKER_POSTGRES_PASSWORD", "ignored-with-trust");
        User.passwordVariables().forEach((name, value) -> env.put(environmentName(name), value));
        // A Java system property, as docs/kubernetes.md sets worker.messaging: the server's JVM gets it too
        env.put("JVM_ARGS", "-Dworker.serverId=" + serverId);
        long started = System.nanoTime();
        launcher = builder.start();

        Api api = new Api("http://localhost:" + http, "");
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> !launcher.isAlive() || status(api, "/health/ready") == 200);
        assertTrue(launcher.isAlive(), "the jar exited before it was ready: " + tail(console));
        System.out.printf("RunnableJarIT: ready %d s after java -jar%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));

        Api.Answer echo = api.as(User.SUBMITTER).submit("{\"type\": \"echo\", \"payload\": {\"from\": \"the jar\"}}");
        assertEquals(202, echo.status(), echo.body());
        JsonObject done = api.awaitState(echo.json().getString("id"), "SUCCEEDED", Duration.ofSeconds(60));
        assertEquals("the jar", done.getJsonObject("result").getString("from"));
        assertTrue(api.get("/api/servers").body().contains("\"" + serverId + "@"), "JVM_ARGS reached the server's JVM: "
                + api.get("/api/servers").body());
        assertEquals("SUCCEEDED", stateInPostgres(done.getString("id")), "the job store is the PostgreSQL database the variables name");
        // The JAR's WAR sees the drivers' library (liberty/jar-server)
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(console).contains("Wake-ups across servers: on"));
        String sleeping = api.submit("{\"type\": \"sleep\", \"payload\": {\"ms\": 60000, \"steps\": 60}}").json().getString("id");
        api.awaitState(sleeping, "RUNNING", Duration.ofSeconds(30));

        List<ProcessHandle> processes = launcher.descendants().toList();
        assertFalse(processes.isEmpty(), "the jar runs the server in a JVM of its own (it has jvm.options)");
        launcher.destroy();   // SIGTERM
        assertTrue(launcher.waitFor(90, TimeUnit.SECONDS), "the jar did not exit within 90 s of SIGTERM: " + tail(console));

        String log = Files.readString(console);
        assertTrue(log.contains("[job " + sleeping + " sleep] stopped with the worker; back in the queue"),
                "the running job was put back, as on a server stop: " + tail(console));
        assertEquals("QUEUED", stateInPostgres(sleeping), "for another server of the fleet to resume");
        assertTrue(log.contains("CWWKE0036I"), "Liberty stopped the server (CWWKE0036I): " + tail(console));
        await().atMost(Duration.ofSeconds(30)).until(() -> processes.stream().noneMatch(ProcessHandle::isAlive));
        // The launcher deletes what it extracted; the server's last log lines may outlive it (a few KB of logs/).
        try (var extracted = Files.list(extractRoot)) {
            assertTrue(extracted.noneMatch(dir -> Files.exists(dir.resolve("wlp/lib"))), "the extracted runtime is deleted when the server stops");
        }
    }

    @AfterEach
    void stopWhatIsLeft() throws IOException, SQLException {
        if (launcher != null && launcher.isAlive()) {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
        LocalPostgres.dropDatabase(database);
        if (work != null) {
            try (var files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private String stateInPostgres(String id) throws SQLException {
        try (Connection c = LocalPostgres.dataSource(database).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT state FROM worker_job WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Liberty's rule for a variable's environment variable: every character but letters and digits an underscore, in capitals. */
    private static String environmentName(String variable) {
        return variable.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static int status(Api api, String path) {
        try {
            return api.anonymous().get(path).status();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String tail(Path console) {
        try {
            List<String> lines = Files.readAllLines(console);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no console: " + e + ")";
        }
    }
}
