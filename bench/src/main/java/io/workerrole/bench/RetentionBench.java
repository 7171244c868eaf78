package io.workerrole.bench;

import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

/**
 * The retention benchmark's two steps (bench/retention.sh runs them):
 * <ul>
 * <li>{@code seed JDBC_URL JOBS}: writes JOBS finished echo jobs, each with its three history
 * rows, eight days old (past the default retention of seven), straight into the job store of a
 * stopped server — the embedded Derby database is the server's own files;</li>
 * <li>{@code measure BASE_URL MESSAGES_LOG RATE JOBS}: while the restarted server deletes them
 * (its retention task sweeps at start), sends echo jobs over HTTP at RATE per second in
 * ten-second windows and measures their enqueue-to-start latency; once the server's log says
 * the JOBS are deleted, three more windows measure the same without pruning.</li>
 * </ul>
 * Prints {@code RESULT|pruned|jobs|ms|jobs/s}, {@code RESULT|during|jobs|p50|p99|max} and
 * {@code RESULT|after|jobs|p50|p99|max}.
 */
public final class RetentionBench {

    private static final Pattern DELETED = Pattern.compile("Deleted (\\d+) finished job\\(s\\).* and (\\d+) ms");
    private static final int AFTER_WINDOWS = 3;
    private static final int PER_TRANSACTION = 1000;

    private RetentionBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "seed" -> seed(args[1], Integer.parseInt(args[2]));
            case "measure" -> measure(args[1], Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException("usage: RetentionBench seed JDBC_URL JOBS | measure BASE_URL MESSAGES_LOG RATE JOBS");
        }
    }

    /** Writes the finished jobs as the worker would have: QUEUED, RUNNING, SUCCEEDED, with a result. */
    private static void seed(String url, int jobs) throws SQLException {
        Instant finished = Instant.now().minus(Duration.ofDays(8));
        long began = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            try (PreparedStatement job = c.prepareStatement("INSERT INTO worker_job (id, type, state, priority, source, payload, result, "
                    + "progress, attempts, max_attempts, idempotency_key, run_after, enqueued_at, created_at, started_at, finished_at, updated_at) "
                    + "VALUES (?, 'echo', 'SUCCEEDED', 4, 'HTTP', '\"seeded\"', '\"seeded\"', 100, 1, 5, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement event = c.prepareStatement("INSERT INTO worker_job_event (job_id, state, entered_at) VALUES (?, ?, ?)")) {
                for (int i = 0; i < jobs; i++) {
                    Instant at = finished.plusMillis(i);
                    Timestamp created = Timestamp.from(at.minusMillis(2));
                    Timestamp started = Timestamp.from(at.minusMillis(1));
                    Timestamp ended = Timestamp.from(at);
                    String id = UUID.randomUUID().toString();
                    job.setString(1, id);
                    job.setString(2, "seed-" + id);
                    job.setTimestamp(3, created);
                    job.setTimestamp(4, created);
                    job.setTimestamp(5, created);
                    job.setTimestamp(6, started);
                    job.setTimestamp(7, ended);
                    job.setTimestamp(8, ended);
                    job.addBatch();
                    for (String state : new String[] {"QUEUED", "RUNNING", "SUCCEEDED"}) {
                        event.setString(1, id);
                        event.setString(2, state);
                        event.setTimestamp(3, state.equals("QUEUED") ? created : state.equals("RUNNING") ? started : ended);
                        event.addBatch();
                    }
                    if ((i + 1) % PER_TRANSACTION == 0 || i == jobs - 1) {
                        job.executeBatch();
                        event.executeBatch();
                        c.commit();
                    }
                    if ((i + 1) % 100_000 == 0) {
                        System.out.println("[retention] seeded " + (i + 1) + " jobs");
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "[retention] seeded %d finished jobs (with %d history rows) in %d s%n",
                jobs, jobs * 3L, Duration.ofNanos(System.nanoTime() - began).toSeconds());
    }

    private static void measure(String base, Path log, int rate, int seeded) throws Exception {
        Bench bench = new Bench(base, "http", 1);
        LongStream.Builder during = LongStream.builder();
        long[] pruned;
        while ((pruned = pruned(log, seeded)) == null) {
            Bench.Measurement window = bench.run(rate * 10, rate);
            Arrays.stream(window.latencies()).forEach(during::add);
        }
        LongStream.Builder after = LongStream.builder();
        for (int i = 0; i < AFTER_WINDOWS; i++) {
            Arrays.stream(bench.run(rate * 10, rate).latencies()).forEach(after::add);
        }
        System.out.printf(Locale.ROOT, "RESULT|pruned|%d|%d|%.0f%n", pruned[0], pruned[1], pruned[0] * 1000.0 / Math.max(1, pruned[1]));
        report("during", during.build().sorted().toArray());
        report("after", after.build().sorted().toArray());
    }

    /** @return {deleted, ms} of the sweep that deleted the seeded jobs, once the log has it; else null */
    private static long[] pruned(Path log, int seeded) throws Exception {
        for (String line : Files.readAllLines(log)) {
            Matcher deleted = DELETED.matcher(line);
            if (deleted.find() && Long.parseLong(deleted.group(1)) >= seeded) {
                return new long[] {Long.parseLong(deleted.group(1)), Long.parseLong(deleted.group(2))};
            }
        }
        return null;
    }

    private static void report(String phase, long[] sorted) {
        if (sorted.length == 0) {
            System.out.println("RESULT|" + phase + "|0|-|-|-");
            return;
        }
        System.out.printf(Locale.ROOT, "RESULT|%s|%d|%d|%d|%d%n", phase, sorted.length,
                Bench.percentile(sorted, 50), Bench.percentile(sorted, 99), sorted[sorted.length - 1]);
    }
}
