package io.workerrole.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The test server as a client sees it: its HTTP endpoints and the files an admin edits. */
public final class WorkerServer {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern FREEZE_VARIABLE = Pattern.compile("(<variable\\s+name=\"worker\\.freeze\"\\s+value=\")(\\w*)(\")");

    private WorkerServer() {
    }

    public static URI uri(String path) {
        return URI.create("http://localhost:" + System.getProperty("liberty.http.port", "19080") + path);
    }

    public static Path serverDir() {
        return Path.of(System.getProperty("liberty.server.dir", "target/liberty/wlp/usr/servers/workerTest"));
    }

    /** A health endpoint's answer. */
    public record Health(int status, JsonObject body) {

        /** @return the worker-role check's data */
        public JsonObject data() {
            return body.getJsonArray("checks").stream()
                    .map(JsonObject.class::cast)
                    .filter(c -> "worker-role".equals(c.getString("name")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no worker-role check in " + body))
                    .getJsonObject("data");
        }

        public String phase() {
            return data().getString("phase");
        }

        public boolean frozen() {
            return data().getBoolean("frozen");
        }

        public String taskState(String task) {
            return data().getString("task." + task + ".state", null);
        }

        public int taskNumber(String task, String what) {
            return data().getInt("task." + task + "." + what, -1);
        }
    }

    /** @param which started, ready or live */
    public static Health health(String which) {
        HttpResponse<String> response = get("/health/" + which);
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return new Health(response.statusCode(), reader.readObject());
        }
    }

    /** @return the journal of the deployment at the given context root */
    public static List<String> journal(String contextRoot) {
        HttpResponse<String> response = get("/" + contextRoot + "/probe");
        if (response.statusCode() != 200) {
            throw new AssertionError("probe answered " + response.statusCode());
        }
        return response.body().isEmpty() ? List.of() : List.of(response.body().split("\n"));
    }

    /** Lets the deployment's {@link GatedStartHook} return the given decision. */
    public static void decideStart(String contextRoot, boolean start) {
        send(HttpRequest.newBuilder(uri("/" + contextRoot + "/probe?startDecision=" + start))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
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

    /** Edits the running server's server.xml as an admin would, setting the freeze flag. */
    public static void setFreezeInServerXml(boolean frozen) {
        Path serverXml = serverDir().resolve("server.xml");
        try {
            String xml = Files.readString(serverXml, StandardCharsets.UTF_8);
            Matcher matcher = FREEZE_VARIABLE.matcher(xml);
            if (!matcher.find()) {
                throw new AssertionError("server.xml declares no worker.freeze variable");
            }
            String edited = matcher.replaceFirst("$1" + frozen + "$3");
            if (!edited.equals(xml)) {
                replace(serverXml, edited);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds (or replaces) a configuration file in the running server's configDropins/overrides, as
     * an admin would; Liberty picks it up while it runs.
     *
     * @param name the file's name, such as {@code schedules.xml}
     * @param body the elements inside {@code <server>}
     */
    public static void writeOverride(String name, String body) {
        try {
            Path dir = serverDir().resolve("configDropins/overrides");
            Files.createDirectories(dir);
            replace(dir.resolve(name), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<server>\n" + body + "\n</server>\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces a configuration file in one step: Liberty polls the server's configuration
     * twice a second, and a file it reads while half written (truncated, then filled) can make
     * it drop the test overrides for a moment, ports and features included.
     */
    static void replace(Path file, String content) throws IOException {
        Path partial = file.resolveSibling("." + file.getFileName() + ".partial");
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes a file that {@link #writeOverride} added. */
    public static void removeOverride(String name) {
        try {
            Files.deleteIfExists(serverDir().resolve("configDropins/overrides").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's messages.log, read from a mark, so a test sees only what it caused. */
    public static final class Log {
        private final Path file = serverDir().resolve("logs/messages.log");
        private final long mark;

        private Log(long mark) {
            this.mark = mark;
        }

        /** @return a view of the log from its current end */
        public static Log fromNow() {
            try {
                Path file = serverDir().resolve("logs/messages.log");
                return new Log(Files.exists(file) ? Files.size(file) : 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** @return the lines written since the mark */
        public List<String> lines() {
            try {
                byte[] all = Files.readAllBytes(file);
                return new String(all, (int) mark, all.length - (int) mark, StandardCharsets.UTF_8).lines().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
