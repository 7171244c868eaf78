package io.workerrole.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A client of one test deployment's job API and JMS probe, as an outside producer sees them. It
 * signs in as {@link User#ADMIN}, who has every role, unless told otherwise ({@link #as},
 * {@link #withToken}, {@link #anonymous}).
 */
public final class Api {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String contextRoot;
    private final String base;
    private final String authorization;
    private final HttpClient http;

    /** A test deployment on the Arquillian server, at its context root. */
    public Api(String contextRoot) {
        this(WorkerServer.uri("/" + contextRoot).toString(), contextRoot);
    }

    /** An application at the given base URL (with no trailing slash). */
    public Api(String base, String contextRoot) {
        this(base, contextRoot, User.ADMIN.basic(), HTTP);
    }

    private Api(String base, String contextRoot, String authorization, HttpClient http) {
        this.base = base;
        this.contextRoot = contextRoot;
        this.authorization = authorization;
        this.http = http;
    }

    /** @return the same client, signed in as this user */
    public Api as(User user) {
        return new Api(base, contextRoot, user.basic(), http);
    }

    /** @return the same client, with this bearer token */
    public Api withToken(String token) {
        return new Api(base, contextRoot, "Bearer " + token, http);
    }

    /** @return the same client, without credentials */
    public Api anonymous() {
        return new Api(base, contextRoot, null, http);
    }

    /** @return the same client, over this HTTP client (one that trusts a server's certificate, say) */
    public Api over(HttpClient client) {
        return new Api(base, contextRoot, authorization, client);
    }

    /** An HTTP answer with its body read as JSON when it is JSON. */
    public record Answer(int status, String body, Map<String, List<String>> headers) {

        public JsonObject json() {
            try (JsonReader reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }

        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }
    }

    public Answer submit(String body) {
        return post("/api/jobs", "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    /** @return a request to a path of this application, to finish and {@link #send} */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    public Answer post(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Answer put(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Answer delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public JsonObject job(String id) {
        Answer answer = get("/api/jobs/" + id);
        if (answer.status() != 200) {
            throw new AssertionError("GET job " + id + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.json();
    }

    /** Waits until the job reaches the state, and returns it. */
    public JsonObject awaitState(String id, String state, Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> job(id), job -> state.equals(job.getString("state")));
    }

    /** Every job of a type, paging through the list API. */
    public List<JsonObject> allJobs(String type) {
        return all("/api/jobs?type=" + type + "&limit=500", "jobs");
    }

    /** Every entry of a list of the API, following its "next" links from the first page. */
    public List<JsonObject> all(String firstPage, String field) {
        List<JsonObject> entries = new ArrayList<>();
        String next = firstPage;
        while (next != null) {
            JsonObject page = get(next).json();
            page.getJsonArray(field).forEach(j -> entries.add(j.asJsonObject()));
            next = page.containsKey("next") ? relative(page.getString("next")) : null;
        }
        return entries;
    }

    private String relative(String absolute) {
        URI uri = URI.create(absolute);
        String prefix = contextRoot.isEmpty() ? "" : "/" + contextRoot;
        return uri.getRawPath().substring(prefix.length()) + "?" + uri.getRawQuery();
    }

    /** Sends a job message through the deployment's JMS probe; returns the message id. */
    public String sendMessage(String body, Map<String, String> options) {
        String query = options.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        Answer answer = post("/probe/jms/send?" + query, "text/plain", body.getBytes(StandardCharsets.UTF_8));
        if (answer.status() != 200) {
            throw new AssertionError("JMS send failed: " + answer.status() + " " + answer.body());
        }
        return answer.body();
    }

    /** Receives the message with this correlation id from a queue (by JNDI name), waiting up to 30 s. */
    public JsonObject receive(String queue, String correlationId) {
        Answer answer = get("/probe/jms/receive?queue=" + queue + "&timeoutMs=30000&correlationId="
                + URLEncoder.encode(correlationId, StandardCharsets.UTF_8));
        if (answer.status() != 200) {
            throw new AssertionError("no message with correlation id " + correlationId + " on " + queue);
        }
        return answer.json();
    }

    /** @return how many messages wait on the queue (by JNDI name) */
    public int depth(String queue) {
        return Integer.parseInt(get("/probe/jms/depth?queue=" + queue).body().trim());
    }

    /** @return how many messages with this correlation id wait on the queue */
    public int depth(String queue, String correlationId) {
        return Integer.parseInt(get("/probe/jms/depth?queue=" + queue + "&correlationId="
                + URLEncoder.encode(correlationId, StandardCharsets.UTF_8)).body().trim());
    }

    public static JsonValue parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }

    /** Sends a request of the test's own making, with this client's credentials. */
    public Answer send(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
