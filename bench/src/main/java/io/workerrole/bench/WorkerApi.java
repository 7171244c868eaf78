package io.workerrole.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the benchmark clients ask of a worker's API, and the small helpers they share: a signed-in
 * GET of JSON, the check of a status, the echo jobs read back by their ids, the time arithmetic.
 */
final class WorkerApi {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;

    /** @param base the worker's base URL (a trailing slash is dropped) */
    WorkerApi(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    String base() {
        return base;
    }

    /** Sends a request as the bench's user. */
    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** @return the JSON object at this URL (absolute, or a path under the base), which must answer 200 */
    JsonObject get(String url) throws IOException, InterruptedException {
        URI uri = URI.create(url.startsWith("/") ? base + url : url);
        return json(expect(200, send(Credentials.request(uri).timeout(Duration.ofMinutes(1)).GET().build())));
    }

    static JsonObject json(HttpResponse<String> response) {
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.uri() + " answered " + response.statusCode()
                    + " (expected " + status + "): " + response.body());
        }
        return response;
    }

    /** @return whether no echo job is in this state */
    boolean noEchoJobs(String state) throws IOException, InterruptedException {
        return get("/api/jobs?type=echo&limit=1&state=" + state).getJsonArray("jobs").isEmpty();
    }

    /**
     * The echo jobs of these ids as the list shows them: pages through the echo jobs, newest
     * first, until all are found (or the list ends).
     */
    Map<String, JsonObject> echoJobs(Collection<String> ids, java.util.function.Consumer<String> log) throws IOException, InterruptedException {
        Map<String, JsonObject> found = new HashMap<>();
        String next = "/api/jobs?type=echo&limit=500";
        int pages = 0;
        while (next != null && found.size() < ids.size()) {
            JsonObject page = get(next);
            pages++;
            for (JsonValue value : page.getJsonArray("jobs")) {
                JsonObject job = value.asJsonObject();
                if (ids.contains(job.getString("id"))) {
                    found.put(job.getString("id"), job);
                }
            }
            next = page.containsKey("next") ? page.getString("next") : null;
        }
        log.accept("found " + found.size() + " of " + ids.size() + " jobs in " + pages + " pages");
        return found;
    }

    static void sleepUntil(Instant instant) throws InterruptedException {
        long ms = Duration.between(Instant.now(), instant).toMillis();
        if (ms > 0) {
            TimeUnit.MILLISECONDS.sleep(ms);
        }
    }

    /** @return the milliseconds between two ISO-8601 instants */
    static long millis(String from, String to) {
        return Duration.between(Instant.parse(from), Instant.parse(to)).toMillis();
    }
}
