package io.workerrole.bench;

import jakarta.json.JsonObject;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/**
 * The dashboard's reads on a big job store (bench/overview.sh):
 * <ul>
 * <li>{@code seed JDBC_URL JOBS}: writes JOBS jobs straight into the job store of a stopped
 * server, as a busy day leaves it, over ten types: arrived evenly over the last 24 hours, the
 * newest 1.5 % still waiting (1 % queued, 0.5 % scheduled: a backlog of about 20 minutes), and of
 * the others, which ended as they arrived, 2 % dead (of fifty errors), 0.5 % cancelled and the
 * rest succeeded;</li>
 * <li>{@code measure BASE_URL REQUESTS}: asks the running (frozen) server for each read
 * REQUESTS times, one after the other, after a warm-up, and prints the latencies as
 * {@code RESULT|read|p50|p99|max} lines.</li>
 * </ul>
 * No history rows are written: none of these reads touches them.
 */
public final class OverviewBench {

    private static final int TYPES = 10;
    private static final int ERRORS = 50;
    private static final int PER_TRANSACTION = 10_000;
    private static final int WARM_UP = 30;

    /** The reads, by name: the dashboard's pages and their usual filters. */
    private static final String[][] READS = {
            {"overview", "/api/overview"},
            {"dead letters, grouped", "/api/jobs/dead-groups"},
            {"jobs, first page", "/api/jobs?limit=50"},
            {"dead jobs of a type", "/api/jobs?state=DEAD&type=bench-type-3&limit=50"},
            {"dead jobs, text in the error", "/api/jobs?state=DEAD&errorContains=" + URLEncoder.encode("error 17 ", StandardCharsets.UTF_8) + "&limit=50"},
            {"dead jobs, text in no error", "/api/jobs?state=DEAD&errorContains=" + URLEncoder.encode("no such error", StandardCharsets.UTF_8) + "&limit=50"},
            {"jobs of the last 10 minutes", "/api/jobs?from=FROM&limit=50"},
    };

    private OverviewBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "seed" -> seed(args[1], Integer.parseInt(args[2]));
            case "measure" -> measure(args[1], Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("usage: OverviewBench seed JDBC_URL JOBS | measure BASE_URL REQUESTS");
        }
    }

    private static void seed(String url, int jobs) throws SQLException {
        Instant now = Instant.now();
        Instant dayAgo = now.minus(Duration.ofDays(1));
        int waiting = jobs * 3 / 200; // the newest 1.5 %: 1 % queued, 0.5 % scheduled
        long began = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            try (PreparedStatement job = c.prepareStatement("INSERT INTO worker_job (id, type, state, priority, source, payload, result, "
                    + "error, progress, attempts, max_attempts, run_after, enqueued_at, created_at, started_at, finished_at, updated_at) "
                    + "VALUES (?, ?, ?, 4, 'HTTP', '\"seeded\"', ?, ?, 0, ?, 5, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < jobs; i++) {
                    // in the order they arrived over the day, as the store numbers them (seq)
                    Instant at = dayAgo.plusMillis((long) ((double) i / jobs * Duration.ofDays(1).toMillis()));
                    String state = state(i, jobs - waiting);
                    boolean finished = !state.equals("QUEUED") && !state.equals("SCHEDULED");
                    Instant created = finished ? at.minusMillis(5) : at;
                    Instant runAfter = state.equals("SCHEDULED") ? now.plus(Duration.ofHours(1 + i % 24)) : created;
                    job.setString(1, UUID.randomUUID().toString());
                    job.setString(2, "bench-type-" + (i / 200) % TYPES);
                    job.setString(3, state);
                    job.setString(4, state.equals("SUCCEEDED") ? "\"seeded\"" : null);
                    job.setString(5, state.equals("DEAD") ? "IllegalStateException: error " + (i / 200) % ERRORS + " of the bench (attempt 5 of 5)" : null);
                    job.setInt(6, finished ? (state.equals("DEAD") ? 5 : 1) : 0);
                    job.setTimestamp(7, Timestamp.from(runAfter));
                    job.setTimestamp(8, Timestamp.from(created));
                    job.setTimestamp(9, Timestamp.from(created));
                    job.setTimestamp(10, finished ? Timestamp.from(at.minusMillis(1)) : null);
                    job.setTimestamp(11, finished ? Timestamp.from(at) : null);
                    job.setTimestamp(12, Timestamp.from(at));
                    job.addBatch();
                    if ((i + 1) % PER_TRANSACTION == 0 || i == jobs - 1) {
                        job.executeBatch();
                        c.commit();
                    }
                    if ((i + 1) % 200_000 == 0) {
                        System.out.println("[overview] seeded " + (i + 1) + " jobs");
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "[overview] seeded %d jobs in %d s%n", jobs, Duration.ofNanos(System.nanoTime() - began).toSeconds());
    }

    /**
     * The i-th job's state: the newest ones still wait (two queued for one scheduled), and of the
     * older ones, which have ended, 2 % died and 0.5 % were cancelled.
     */
    private static String state(int i, int firstWaiting) {
        if (i >= firstWaiting) {
            return i % 3 == 2 ? "SCHEDULED" : "QUEUED";
        }
        int slot = i % 200;
        if (slot < 4) {
            return "DEAD";
        }
        return slot == 4 ? "CANCELLED" : "SUCCEEDED";
    }

    private static void measure(String base, int requests) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        JsonObject overview = WorkerApi.json(get(http, base + "/api/overview"));
        System.out.println("[overview] counts " + overview.getJsonObject("counts") + ", frozen " + overview.getBoolean("frozen"));
        long lastHour = overview.getJsonArray("perMinute").getValuesAs(JsonObject.class).stream()
                .mapToLong(m -> m.getJsonNumber("SUCCEEDED").longValue() + m.getJsonNumber("DEAD").longValue()
                        + m.getJsonNumber("CANCELLED").longValue()).sum();
        System.out.println("RESULT|hour|" + lastHour);
        for (String[] read : READS) {
            String path = read[1].replace("FROM", Instant.now().minus(Duration.ofMinutes(10)).toString());
            for (int i = 0; i < WARM_UP; i++) {
                get(http, base + path);
            }
            long[] micros = new long[requests];
            for (int i = 0; i < requests; i++) {
                long start = System.nanoTime();
                get(http, base + path);
                micros[i] = (System.nanoTime() - start) / 1_000;
            }
            Arrays.sort(micros);
            System.out.printf(Locale.ROOT, "RESULT|%s|%s|%.1f|%.1f|%.1f%n", read[0], read[1].replace("FROM", "(10 minutes ago)"),
                    micros[requests / 2] / 1000.0, micros[(int) Math.ceil(requests * 0.99) - 1] / 1000.0, micros[requests - 1] / 1000.0);
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return WorkerApi.expect(200, http.send(Credentials.request(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }
}
