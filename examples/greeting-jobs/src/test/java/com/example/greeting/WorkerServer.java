package com.example.greeting;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real worker server with this project's jar as its handler library, deployed the way the
 * worker's README has admins do it: the worker's Liberty runtime, WAR and {@code server-config/}
 * from {@code worker.home} (a worker-role checkout built with {@code mvn install}), the jar in
 * the server's {@code handlers/} folder, named by the application's class loader as its private
 * library.
 */
final class WorkerServer implements AutoCloseable {

    static final String NAME = "greetingJobsExample";
    private static final int HTTP_PORT = 20080;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path wlp;
    private final Path dir;

    private WorkerServer(Path workerHome) {
        this.wlp = workerHome.resolve("target/liberty/wlp");
        this.dir = wlp.resolve("usr/servers/" + NAME);
    }

    /** Creates the server afresh and starts it; returns once it is ready. */
    static WorkerServer start(Path workerHome, Path handlerJar) throws IOException {
        WorkerServer server = new WorkerServer(workerHome);
        server.create(workerHome, handlerJar);
        server.command("start");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> server.status("/health/ready") == 200);
        return server;
    }

    private void create(Path workerHome, Path handlerJar) throws IOException {
        for (Path needed : new Path[] {wlp.resolve("bin/server"), workerHome.resolve("target/worker-role.war"), handlerJar}) {
            if (!Files.exists(needed)) {
                throw new IllegalStateException(needed + " is missing: build the worker (mvn install in worker-role) and this project (mvn verify)");
            }
        }
        command("stop");
        delete(dir);
        copy(workerHome.resolve("server-config"), dir);
        Files.createDirectories(dir.resolve("apps"));
        Files.copy(workerHome.resolve("target/worker-role.war"), dir.resolve("apps/worker-role.war"));
        Files.createDirectories(dir.resolve("handlers"));
        Files.copy(handlerJar, dir.resolve("handlers").resolve(handlerJar.getFileName()));
        // What an admin writes in configDropins/overrides: ports, passwords and the handler library.
        Path overrides = Files.createDirectories(dir.resolve("configDropins/overrides"));
        Files.writeString(overrides.resolve("greeting-jobs.xml"), """
                <server>
                    <variable name="default.http.port" value="%d"/>
                    <variable name="default.https.port" value="20443"/>
                    <variable name="worker.jms.port" value="18076"/>
                    <variable name="worker.user.viewer.password" value="viewer-example-pw"/>
                    <variable name="worker.user.submitter.password" value="submitter-example-pw"/>
                    <variable name="worker.user.operator.password" value="operator-example-pw"/>
                    <variable name="worker.user.admin.password" value="admin-example-pw"/>
                    <variable name="worker.jms.password" value="jms-example-pw"/>
                    <variable name="worker.keystore.password" value="keystore-example-pw"/>

                    <library id="handlers">
                        <fileset dir="${server.config.dir}/handlers" includes="*.jar"/>
                    </library>
                    <webApplication location="worker-role.war" contextRoot="/">
                        <classloader privateLibraryRef="handlers"/>
                    </webApplication>
                </server>
                """.formatted(HTTP_PORT));
    }

    /** @return the answer to a POST of this JSON, as the submitter */
    HttpResponse<String> post(String path, String json) {
        return send(request(path, "submitter").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** @return the JSON object a GET answers, as the viewer */
    JsonObject get(String path) {
        HttpResponse<String> response = send(request(path, "viewer").GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /** @return the server's messages.log as it is now */
    String messages() throws IOException {
        return Files.readString(dir.resolve("logs/messages.log"));
    }

    private HttpRequest.Builder request(String path, String user) {
        String credentials = user + ":" + user + "-example-pw";
        return HttpRequest.newBuilder(URI.create("http://localhost:" + HTTP_PORT + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    private int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + HTTP_PORT + path)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        command("stop");
    }

    private void command(String action) {
        try {
            Process process = new ProcessBuilder(wlp.resolve("bin/server").toString(), action, NAME)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("server " + action + " " + NAME + " did not finish");
            }
            // "stop" of a server that is not running (or not created yet) exits 1 or 2: nothing to stop.
            if (process.exitValue() != 0 && !action.equals("stop")) {
                throw new IllegalStateException("server " + action + " " + NAME + " exited " + process.exitValue() + "; see " + dir.resolve("logs"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
