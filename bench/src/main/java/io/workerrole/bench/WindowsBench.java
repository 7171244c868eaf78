package io.workerrole.bench;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Measures how soon the worker does the things the integration tests' "nothing happens for X
 * seconds" windows ({@code await().during(X)}) guard against, when nothing prevents them: a
 * window proves something only if X is longer than that. One event at a time on an otherwise
 * idle server (single-event latencies, not a burst), with a random pause of up to
 * {@link #MAX_PAUSE} between samples so that they fall at every phase of the worker's polls,
 * ticks and Liberty's configuration monitor. The first {@code WARM_UP} samples of each kind
 * are logged, not counted.
 * <ul>
 * <li>{@code jms-recorded}, {@code jms-started}: one echo job message sent by the bench producer
 * (in the server, {@code JMSTimestamp} = the job's {@code enqueuedAt}) → the job's
 * {@code createdAt} (taken off the queue and recorded) and {@code startedAt};</li>
 * <li>{@code http-started}: {@code POST /api/jobs} → {@code startedAt} − {@code enqueuedAt};</li>
 * <li>{@code callback-first}: the job's {@code finishedAt} → its callback's arrival at the
 * listener in this JVM; {@code callback-retry}: a callback answered 500 → the next attempt's
 * arrival (this JVM's clock);</li>
 * <li>{@code schedule-gap}, {@code schedule-late}, {@code schedule-job-start}: one fixed-rate echo
 * schedule every {@link #SCHEDULE_EVERY} (SchedulesIT's): the time between consecutive firings'
 * {@code recordedAt} (the longest a running schedule goes without firing), {@code recordedAt} −
 * {@code scheduledFor}, and its jobs' {@code startedAt} − {@code scheduledFor};</li>
 * <li>{@code freeze-ready-down}, {@code freeze-task-held}, {@code unfreeze-ready-up},
 * {@code unfreeze-task-running}: {@code worker.freeze} written in a configDropins override (as an
 * admin would) → {@code /health/ready} 503 and the task {@link #TASK} HELD; set back to false →
 * 200 and the task RUNNING again (started once more), polled every {@link #HEALTH_POLL}.</li>
 * </ul>
 * <pre>WindowsBench BASE_URL SERVER_DIR CALLBACK_PORT SAMPLES SLOW_SAMPLES [WARM_UP=3]</pre>
 * SLOW_SAMPLES is for {@code callback-retry} and the freeze cycles, which take seconds each.
 * Prints one line per event: {@code RESULT|event|samples|p50|p99|max|first}, in ms; first is the
 * first warm-up sample (on a fresh server, the first time the worker does it), or - without one.
 */
public final class WindowsBench {

    /** A supervised task that holds while frozen and stops at once when asked (it waits between sweeps). */
    static final String TASK = "job-retention";
    static final Duration SCHEDULE_EVERY = Duration.ofMillis(500);
    private static final Duration MAX_PAUSE = Duration.ofMillis(500);
    private static final Duration JOB_POLL = Duration.ofMillis(20);
    private static final Duration HEALTH_POLL = Duration.ofMillis(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final WorkerApi api;
    private final Path freezeFile;
    private final CallbackCatcher callbacks;
    private final int warmUp;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final Map<String, List<Long>> samples = new LinkedHashMap<>();
    /** Each event's first warm-up sample: on a fresh server, the first time the worker does it. */
    private final Map<String, Long> firsts = new HashMap<>();

    private WindowsBench(String base, Path serverDir, CallbackCatcher callbacks, int warmUp) {
        this.api = new WorkerApi(base);
        this.freezeFile = serverDir.resolve("configDropins/overrides/bench-freeze.xml");
        this.callbacks = callbacks;
        this.warmUp = warmUp;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            throw new IllegalArgumentException("usage: WindowsBench BASE_URL SERVER_DIR CALLBACK_PORT SAMPLES SLOW_SAMPLES [WARM_UP]");
        }
        int samples = Integer.parseInt(args[3]);
        int slow = Integer.parseInt(args[4]);
        int warmUp = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        try (CallbackCatcher callbacks = new CallbackCatcher(Integer.parseInt(args[2]))) {
            WindowsBench bench = new WindowsBench(args[0], Path.of(args[1]), callbacks, warmUp);
            bench.jmsJobs(samples);
            bench.httpJobs(samples);
            bench.callbacks(samples, slow);
            bench.schedule(samples);
            bench.freezes(slow);
            bench.report();
        }
    }

    private static void log(String message) {
        System.out.println("[windows bench] " + message);
    }

    // ---- the events

    private void jmsJobs(int count) throws Exception {
        log("JMS: " + count + " echo job messages, one at a time");
        for (int i = 0; i < warmUp + count; i++) {
            String key = run + "-jms-" + i;
            WorkerApi.expect(200, api.send(Credentials.request(URI.create(api.base() + "/bench-producer/send?count=1&threads=1&run=" + key))
                    .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build()));
            // The producer keys message i of a run "RUN-i"
            JsonObject job = finished("/api/jobs?limit=1&idempotencyKey=" + key + "-0");
            record("jms-recorded", i, WorkerApi.millis(job.getString("enqueuedAt"), job.getString("createdAt")));
            record("jms-started", i, WorkerApi.millis(job.getString("enqueuedAt"), job.getString("startedAt")));
            pause();
        }
    }

    private void httpJobs(int count) throws Exception {
        log("HTTP: " + count + " echo jobs, one at a time");
        for (int i = 0; i < warmUp + count; i++) {
            String id = submit("{\"type\": \"echo\", \"payload\": " + i + "}");
            JsonObject job = finished("/api/jobs/" + id);
            record("http-started", i, WorkerApi.millis(job.getString("enqueuedAt"), job.getString("startedAt")));
            pause();
        }
    }

    private void callbacks(int count, int retries) throws Exception {
        log("callbacks: " + count + " first calls, then " + retries + " answered 500 and retried");
        for (int i = 0; i < warmUp + count; i++) {
            String path = "/ok/" + run + "-" + i;
            String id = submit("{\"type\": \"echo\", \"payload\": " + i + ", \"callbackUrl\": \"" + callbacks.origin() + path + "\"}");
            Instant arrived = poll("the callback of " + id, JOB_POLL, () -> callbacks.arrival(path, 0));
            JsonObject job = finished("/api/jobs/" + id);
            record("callback-first", i, Duration.between(Instant.parse(job.getString("finishedAt")), arrived).toMillis());
            pause();
        }
        for (int i = 0; i < warmUp + retries; i++) {
            String path = CallbackCatcher.FAIL_ONCE + run + "-" + i;
            String id = submit("{\"type\": \"echo\", \"payload\": " + i + ", \"callbackUrl\": \"" + callbacks.origin() + path + "\"}");
            Instant failed = poll("the callback of " + id, JOB_POLL, () -> callbacks.arrival(path, 0));
            Instant retried = poll("the second callback of " + id, JOB_POLL, () -> callbacks.arrival(path, 1));
            record("callback-retry", i, Duration.between(failed, retried).toMillis());
            pause();
        }
    }

    private void schedule(int count) throws Exception {
        String name = "windows-" + run;
        int firings = warmUp + count + 1;
        log("schedule " + name + ": every " + SCHEDULE_EVERY + ", " + firings + " firings");
        WorkerApi.expect(201, api.send(Credentials.request(URI.create(api.base() + "/api/schedules"))
                .header("Content-Type", "application/json").timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + name + "\", \"every\": \"" + SCHEDULE_EVERY
                        + "\", \"type\": \"echo\"}")).build()));
        TimeUnit.MILLISECONDS.sleep(SCHEDULE_EVERY.multipliedBy(firings).plusSeconds(1).toMillis());
        WorkerApi.expect(200, api.send(Credentials.request(URI.create(api.base() + "/api/schedules/" + name + "/pause"))
                .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build()));

        List<JsonObject> history = new ArrayList<>();
        String next = "/api/schedules/" + name + "/firings?limit=500";
        while (next != null) {
            JsonObject page = api.get(next);
            page.getJsonArray("firings").forEach(f -> history.add(f.asJsonObject()));
            next = page.containsKey("next") ? page.getString("next") : null;
        }
        history.sort(Comparator.comparing(f -> Instant.parse(f.getString("scheduledFor"))));
        long notRan = history.stream().filter(f -> !f.getString("outcome").equals("RAN")).count();
        log(history.size() + " firings recorded, " + notRan + " not RAN" + (notRan > 0 ? ": " + history : ""));
        for (int i = 0; i < Math.min(history.size(), warmUp + count + 1); i++) {
            JsonObject firing = history.get(i);
            if (i > 0) {
                record("schedule-gap", i - 1, WorkerApi.millis(history.get(i - 1).getString("recordedAt"), firing.getString("recordedAt")));
            }
            if (i < warmUp + count && firing.getString("outcome").equals("RAN")) {
                record("schedule-late", i, WorkerApi.millis(firing.getString("scheduledFor"), firing.getString("recordedAt")));
                JsonObject job = finished("/api/jobs/" + firing.getString("jobId"));
                record("schedule-job-start", i, WorkerApi.millis(firing.getString("scheduledFor"), job.getString("startedAt")));
            }
        }
        WorkerApi.expect(204, api.send(Credentials.request(URI.create(api.base() + "/api/schedules/" + name))
                .timeout(TIMEOUT).DELETE().build()));
    }

    private void freezes(int count) throws Exception {
        log("freeze: " + count + " cycles of worker.freeze=true, then false, in " + freezeFile);
        try {
            for (int i = 0; i < warmUp + count; i++) {
                Health before = poll("the worker ready and " + TASK + " running", HEALTH_POLL,
                        () -> present(ready(), h -> h.status() == 200 && h.taskState().equals("RUNNING")));
                long[] frozen = untilSeen(setFreeze(true), h -> h.status() == 503, h -> h.taskState().equals("HELD"));
                record("freeze-ready-down", i, frozen[0]);
                record("freeze-task-held", i, frozen[1]);
                pause();
                long[] unfrozen = untilSeen(setFreeze(false), h -> h.status() == 200,
                        h -> h.taskState().equals("RUNNING") && h.taskStarts() > before.taskStarts());
                record("unfreeze-ready-up", i, unfrozen[0]);
                record("unfreeze-task-running", i, unfrozen[1]);
                pause();
            }
        } finally {
            Files.deleteIfExists(freezeFile);
        }
    }

    // ---- the results

    private void record(String event, int sample, long ms) {
        if (sample < warmUp) {
            log(String.format(Locale.ROOT, "%s: warm-up sample %d: %d ms", event, sample + 1, ms));
            samples.putIfAbsent(event, new ArrayList<>());
            firsts.putIfAbsent(event, ms);
        } else {
            samples.computeIfAbsent(event, e -> new ArrayList<>()).add(ms);
        }
    }

    private void report() {
        samples.forEach((event, values) -> {
            long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length == 0) {
                throw new IllegalStateException("no sample of " + event);
            }
            log(String.format(Locale.ROOT, "%s: %d samples, min %d, p50 %d, p90 %d, p99 %d, max %d ms", event, sorted.length, sorted[0],
                    Bench.percentile(sorted, 50), Bench.percentile(sorted, 90), Bench.percentile(sorted, 99), sorted[sorted.length - 1]));
            System.out.println(String.format(Locale.ROOT, "RESULT|%s|%d|%d|%d|%d|%s", event, sorted.length,
                    Bench.percentile(sorted, 50), Bench.percentile(sorted, 99), sorted[sorted.length - 1],
                    firsts.containsKey(event) ? firsts.get(event).toString() : "-"));
        });
    }

    // ---- helpers

    /** A random pause between samples, so that they do not keep one phase of the worker's polls. */
    private static void pause() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(MAX_PAUSE.toMillis() + 1));
    }

    private String submit(String body) throws IOException, InterruptedException {
        HttpResponse<String> response = WorkerApi.expect(202, api.send(Credentials.request(URI.create(api.base() + "/api/jobs"))
                .header("Content-Type", "application/json").timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(body)).build()));
        return WorkerApi.json(response).getString("id");
    }

    /**
     * @param url a job ({@code /api/jobs/ID}) or a listing that holds it first
     * @return the job once SUCCEEDED (polled every {@link #JOB_POLL}); fails if it ends otherwise
     */
    private JsonObject finished(String url) throws Exception {
        JsonObject job = poll(url + " to finish", JOB_POLL, () -> {
            JsonObject answer = api.get(url);
            JsonObject found = answer.containsKey("jobs")
                    ? answer.getJsonArray("jobs").stream().findFirst().map(JsonValue::asJsonObject).orElse(null)
                    : answer;
            return found != null && found.containsKey("finishedAt") ? found : null;
        });
        if (!job.getString("state").equals("SUCCEEDED")) {
            throw new IllegalStateException("a bench job did not succeed: " + job);
        }
        return job;
    }

    /** @return the probe's first non-null answer, asked every {@code every} for up to {@link #TIMEOUT} */
    private static <T> T poll(String what, Duration every, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            T value = probe.call();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + TIMEOUT + " for " + what);
            }
            TimeUnit.NANOSECONDS.sleep(every.toNanos());
        }
    }

    private static <T> T present(T value, Predicate<T> condition) {
        return condition.test(value) ? value : null;
    }

    /**
     * Polls readiness every {@link #HEALTH_POLL} until each condition has held once.
     *
     * @return the ms from {@code since} (a {@link System#nanoTime()}) to the first answer that met each
     */
    @SafeVarargs
    private long[] untilSeen(long since, Predicate<Health>... conditions) throws Exception {
        long[] seen = new long[conditions.length];
        Arrays.fill(seen, -1);
        poll("the worker's readiness to change", HEALTH_POLL, () -> {
            Health health = ready();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            boolean all = true;
            for (int c = 0; c < conditions.length; c++) {
                if (seen[c] < 0 && conditions[c].test(health)) {
                    seen[c] = ms;
                }
                all &= seen[c] >= 0;
            }
            return all ? seen : null;
        });
        return seen;
    }

    /**
     * Sets {@code worker.freeze} in the server's override file, replaced in one step (Liberty
     * polls its configuration twice a second and must not read it half written).
     *
     * @return when the new file was in place, as {@link System#nanoTime()}
     */
    private long setFreeze(boolean frozen) throws IOException {
        Path partial = freezeFile.resolveSibling("." + freezeFile.getFileName() + ".partial");
        Files.writeString(partial, "<server>\n    <variable name=\"worker.freeze\" value=\"" + frozen + "\"/>\n</server>\n", StandardCharsets.UTF_8);
        Files.move(partial, freezeFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return System.nanoTime();
    }

    private Health ready() throws IOException, InterruptedException {
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/health/ready")).timeout(TIMEOUT).GET().build());
        JsonObject data = WorkerApi.json(response).getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals("worker-role")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no worker-role check in " + response.body()))
                .getJsonObject("data");
        return new Health(response.statusCode(), data);
    }

    /** The worker's readiness: its status and the worker-role check's data. */
    private record Health(int status, JsonObject data) {
        String taskState() {
            return data.getString("task." + TASK + ".state", "");
        }

        int taskStarts() {
            return data.getInt("task." + TASK + ".starts", -1);
        }
    }

    /**
     * The jobs' callback listener, in this JVM on loopback (the bench server allows its origin in
     * {@code worker.callback.allowedOrigins}): notes when each call arrives, by path; answers the
     * first call to a path under {@link #FAIL_ONCE} 500, every other 204.
     */
    private static final class CallbackCatcher implements AutoCloseable {

        static final String FAIL_ONCE = "/fail-once/";
        private final HttpServer server;
        private final Map<String, List<Instant>> arrivals = new ConcurrentHashMap<>();

        CallbackCatcher(int port) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.createContext("/", exchange -> {
                Instant now = Instant.now();
                exchange.getRequestBody().readAllBytes();
                List<Instant> calls = arrivals.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new CopyOnWriteArrayList<>());
                calls.add(now);
                boolean fail = exchange.getRequestURI().getPath().startsWith(FAIL_ONCE) && calls.size() == 1;
                exchange.sendResponseHeaders(fail ? 500 : 204, -1);
                exchange.close();
            });
            server.start();
        }

        String origin() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** @return when the path's call of this index (0: the first) arrived, or null if it has not */
        Instant arrival(String path, int index) {
            List<Instant> calls = arrivals.getOrDefault(path, List.of());
            return calls.size() > index ? calls.get(index) : null;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
