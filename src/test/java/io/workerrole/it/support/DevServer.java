package io.workerrole.it.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The dev server of the README's first command, {@code mvn liberty:run}, run as a user runs it
 * (register it with {@code @RegisterExtension}): before the class, a Maven of its own runs that
 * goal on this project in the background, with this build's Maven and local repository, so it configures the server exactly as a user's run does (the POM's plugin settings,
 * server-config/ as the configuration, the loose application), offline; the class starts once the server's readiness is UP. After the class the
 * runtime's {@code bin/server stop} stops it, which ends the Maven run. What that Maven prints
 * is in target/dev-server.log.
 */
public final class DevServer implements BeforeAllCallback, AfterAllCallback {

    /** The ports of server-config/server.xml, which the README's walkthrough uses. */
    public static final int HTTP_PORT = 9080;
    public static final int HTTPS_PORT = 9443;
    /** server-config/users.xml's dev users, with their shipped passwords, as the README signs in. */
    public static final User VIEWER = new User("viewer", "viewer-change-me");
    public static final User SUBMITTER = new User("submitter", "submitter-change-me");
    /** The shipped worker.keystore.password, which opens the key store Liberty makes at the first start. */
    public static final String KEYSTORE_PASSWORD = "keystore-change-me";

    private static final String SERVER = "worker";
    private static final Duration START = Duration.ofMinutes(6);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path wlp = Path.of(System.getProperty("liberty.wlp.dir", "target/liberty/wlp")).toAbsolutePath();
    private final Path log = Path.of("target/dev-server.log").toAbsolutePath();
    private Process maven;

    /** @return a path of the dev server, such as {@code /health/ready} */
    public static URI uri(String path) {
        return URI.create("http://localhost:" + HTTP_PORT + path);
    }

    /** @return the dev server's folder, target/liberty/wlp/usr/servers/worker */
    public Path serverDir() {
        return wlp.resolve("usr/servers").resolve(SERVER);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (status(uri("/health/ready")) != -1) {
            throw new IllegalStateException("something already answers on port " + HTTP_PORT
                    + " (a dev server left running? " + wlp.resolve("bin/server") + " stop " + SERVER + ")");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(), "-B", "-Dstyle.color=never",
                "-Dmaven.repo.local=" + System.getProperty("maven.repo.local"),
                // Offline: the run needs nothing this build has not fetched, and a test downloads nothing.
                "-o", "-f", Path.of("pom.xml").toAbsolutePath().toString(), "liberty:run"));
        Files.createDirectories(log.getParent());
        maven = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(START).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!maven.isAlive()) {
                throw new AssertionError("mvn liberty:run ended with " + maven.exitValue() + " before the server was ready: " + log);
            }
            return status(uri("/health/ready")) == 200;
        });
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (maven == null) {
            return;
        }
        try {
            Process stop = new ProcessBuilder(wlp.resolve("bin/server").toString(), "stop", SERVER)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            stop.waitFor(2, TimeUnit.MINUTES);
        } finally {
            // liberty:run ends when its server stops; a run that does not is ended, its server with it.
            if (!maven.waitFor(1, TimeUnit.MINUTES)) {
                maven.descendants().forEach(ProcessHandle::destroyForcibly);
                maven.destroyForcibly();
                throw new IllegalStateException("mvn liberty:run did not end when its server stopped: " + log);
            }
        }
    }

    /** @return the status of a GET, -1 while nothing listens, 0 when the connection is taken but not answered */
    private static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            // Something that takes the connection but does not answer (yet) is there all the same.
            return e instanceof ConnectException || e.getCause() instanceof ConnectException ? -1 : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
