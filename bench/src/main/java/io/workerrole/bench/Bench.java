package io.workerrole.bench;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Drives a running worker and measures from the job store's own timestamps, read back through
 * the status API:
 * <ul>
 * <li><b>burst</b>: N echo jobs sent as fast as possible; throughput = N / (max finishedAt - min
 * enqueuedAt), and enqueue-to-start latency (startedAt - enqueuedAt), which here includes the
 * time a job waits in the backlog;</li>
 * <li><b>paced</b> (optional): jobs sent at a steady rate below capacity, so the enqueue-to-start
 * latency is the worker's own pick-up delay.</li>
 * </ul>
 * A 500-job warm-up (not reported) comes first.
 * <pre>Bench BASE_URL jms|http|http-batch|code|artemis JOBS [HTTP_CLIENTS=16] [PACED_RATE_PER_SECOND=0 (none)]</pre>
 * Prints one line per measured run: {@code RESULT|mode|run|jobs|jobs/s|p50 ms|p99 ms|max ms}, and
 * one with the run's id and window: {@code WINDOW|run|first enqueuedAt|last finishedAt}, in ms
 * since the epoch (bench/cluster.sh reads the machine's CPU over it).
 */
public final class Bench {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final int WARM_UP = Integer.getInteger("bench.warmup", 500);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;
    private final String mode;
    private final int clients;

    Bench(String base, String mode, int clients) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.mode = mode;
        this.clients = clients;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !List.of("jms", "http", "http-batch", "code", "artemis").contains(args[1])) {
            throw new IllegalArgumentException("usage: Bench BASE_URL jms|http|http-batch|code|artemis JOBS [HTTP_CLIENTS] [PACED_RATE]");
        }
        int jobs = Integer.parseInt(args[2]);
        int clients = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        int pacedRate = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        Bench bench = new Bench(args[0], args[1], clients);

        if (WARM_UP > 0) {
            bench.log("warm-up: " + WARM_UP + " jobs");
            bench.run(WARM_UP, 0);
        }
        if (jobs == 0) {
            return; // a warm-up only
        }
        bench.report("burst", jobs, bench.run(jobs, 0));
        if (pacedRate > 0 && !bench.mode.equals("http-batch")) { // paced batches would be paced single jobs: see http
            int paced = Math.max(pacedRate * 10, 200); // about ten seconds
            bench.report("paced " + pacedRate + "/s", paced, bench.run(paced, pacedRate));
        }
    }

    /** @param latencies each job's enqueue-to-start latency in ms, sorted */
    record Measurement(double jobsPerSecond, long p50, long p99, long max, long[] latencies) {
    }

    private void report(String shape, int jobs, Measurement m) {
        String line = String.format(java.util.Locale.ROOT, "RESULT|%s|%s|%d|%.0f|%d|%d|%d",
                mode, shape, jobs, m.jobsPerSecond(), m.p50(), m.p99(), m.max());
        System.out.println(line);
    }

    void log(String message) {
        System.out.println("[bench " + mode + "] " + message);
    }

    /** Sends the jobs (at that rate, or as fast as it can when 0) and waits until all have succeeded. */
    Measurement run(int jobs, int perSecond) throws Exception {
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Instant began = Instant.now();
        long sending = System.nanoTime();
        if (mode.equals("jms")) {
            String query = "/bench-producer/send?count=" + jobs + "&run=" + run + (perSecond > 0 ? "&perSecond=" + perSecond : "");
            check(http.send(Credentials.request(URI.create(base + query)).timeout(TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
        } else if (mode.equals("code")) {
            enqueueFromCode(run, jobs, perSecond);
        } else if (mode.equals("artemis")) {
            sendToBroker(run, jobs, perSecond);
        } else {
            submitOverHttp(run, jobs, perSecond);
        }
        log(String.format(java.util.Locale.ROOT, "run %s: %d jobs sent in %d ms%s", run, jobs,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sending), perSecond > 0 ? " at " + perSecond + "/s" : ""));

        List<JsonObject> done = awaitAll(run, jobs, began);
        Instant first = done.stream().map(j -> Instant.parse(j.getString("enqueuedAt"))).min(Instant::compareTo).orElseThrow();
        Instant last = done.stream().map(j -> Instant.parse(j.getString("finishedAt"))).max(Instant::compareTo).orElseThrow();
        long[] latencies = done.stream()
                .mapToLong(j -> Duration.between(Instant.parse(j.getString("enqueuedAt")), Instant.parse(j.getString("startedAt"))).toMillis())
                .sorted().toArray();
        double seconds = Duration.between(first, last).toNanos() / 1e9;
        Measurement m = new Measurement(jobs / Math.max(seconds, 0.001), percentile(latencies, 50), percentile(latencies, 99),
                latencies[latencies.length - 1], latencies);
        log(String.format(java.util.Locale.ROOT, "run %s: all %d SUCCEEDED, %.1f s from first enqueue to last finish",
                run, jobs, seconds));
        System.out.println("WINDOW|" + run + "|" + first.toEpochMilli() + "|" + last.toEpochMilli());
        return m;
    }

    /** Job messages per request in the http-batch mode, and per transaction in the artemis mode. */
    static final int BATCH = Integer.getInteger("bench.batch", 100);

    private void submitOverHttp(String run, int jobs, int perSecond) throws Exception {
        int perRequest = mode.equals("http-batch") ? BATCH : 1;
        ExecutorService pool = Executors.newFixedThreadPool(perSecond > 0 ? 1 : clients);
        AtomicInteger next = new AtomicInteger();
        long began = System.nanoTime();
        long gap = perSecond > 0 ? TimeUnit.SECONDS.toNanos(1) / perSecond : 0;
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int c = 0; c < (perSecond > 0 ? 1 : clients); c++) {
                senders.add(pool.submit(() -> {
                    for (int i = next.getAndAdd(perRequest); i < jobs; i = next.getAndAdd(perRequest)) {
                        if (gap > 0) {
                            LockSupport.parkNanos(began + i * gap - System.nanoTime());
                        }
                        String body = perRequest == 1 ? message(run, i) : IntStream.range(i, Math.min(i + perRequest, jobs))
                                .mapToObj(n -> message(run, n)).collect(Collectors.joining(",", "[", "]"));
                        check(http.send(Credentials.request(URI.create(base + "/api/jobs"))
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofMinutes(1))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The code mode: one {@code bench-enqueue} job (EnqueueBurstJob, in the bench server's handler
     * library) enqueues the run's jobs through Jobs, from 4 threads (one when paced).
     */
    private void enqueueFromCode(String run, int jobs, int perSecond) throws Exception {
        String order = "{\"type\":\"bench-enqueue\",\"payload\":{\"run\":\"" + run + "\",\"count\":" + jobs
                + ",\"producers\":4,\"perSecond\":" + perSecond + "}}";
        check(http.send(Credentials.request(URI.create(base + "/api/jobs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(order)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /**
     * The artemis mode: the job messages are sent by this process, a plain Java SE producer
     * (Artemis's Jakarta JMS client) signed in with the bench's broker credentials, to worker.jobs on the
     * broker at bench.broker (default tcp://127.0.0.1:61616), which hands each to whichever worker
     * takes it first: from HTTP_CLIENTS threads, each with its own JMSContext and producer, as fast
     * as they can, in transactions of bench.batch (100) messages, since a persistent message sent
     * outside a transaction waits for the broker's journal (one at a time, the producer and not the
     * workers set the pace); paced, from one thread, one message per transaction.
     */
    private void sendToBroker(String run, int jobs, int perSecond) throws Exception {
        int threads = perSecond > 0 ? 1 : clients;
        long gap = perSecond > 0 ? TimeUnit.SECONDS.toNanos(1) / perSecond : 0;
        AtomicInteger next = new AtomicInteger();
        long began = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(System.getProperty("bench.broker", "tcp://127.0.0.1:61616"))) {
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                senders.add(pool.submit(() -> {
                    try (JMSContext context = broker.createContext(Credentials.brokerUser(), Credentials.brokerPassword(),
                            JMSContext.SESSION_TRANSACTED)) {
                        Queue queue = context.createQueue("worker.jobs");
                        JMSProducer producer = context.createProducer();
                        int perTransaction = gap > 0 ? 1 : BATCH;
                        for (int i = next.getAndAdd(perTransaction); i < jobs; i = next.getAndAdd(perTransaction)) {
                            if (gap > 0) {
                                LockSupport.parkNanos(began + i * gap - System.nanoTime());
                            }
                            for (int n = i; n < Math.min(i + perTransaction, jobs); n++) {
                                producer.send(queue, message(run, n));
                            }
                            context.commit();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String message(String run, int i) {
        return "{\"type\":\"echo\",\"payload\":{\"i\":" + i + "},\"idempotencyKey\":\"" + run + "-" + i + "\"}";
    }

    /**
     * Waits until all the run's jobs have succeeded. Until the run's last job has (a look-up by
     * its idempotency key, one index entry: polling must not load the database it measures), it
     * only waits; then, while echo jobs are still queued or running, too; then it pages through
     * the list for the run's jobs.
     */
    private List<JsonObject> awaitAll(String run, int jobs, Instant began) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String last = base + "/api/jobs?limit=1&idempotencyKey=" + run + "-" + (jobs - 1);
        while (System.nanoTime() < deadline && !get(last).getJsonArray("jobs").toString().contains("\"SUCCEEDED\"")) {
            TimeUnit.MILLISECONDS.sleep(250);
        }
        Map<String, Long> states = Map.of();
        while (System.nanoTime() < deadline) {
            if (isEmpty("QUEUED") && isEmpty("RUNNING") && isEmpty("FAILED")) {
                List<JsonObject> mine = jobsOf(run, began);
                states = mine.stream().collect(Collectors.groupingBy(j -> j.getString("state"), Collectors.counting()));
                if (mine.size() == jobs && states.getOrDefault("SUCCEEDED", 0L) == jobs) {
                    return mine;
                }
                if (states.getOrDefault("DEAD", 0L) + states.getOrDefault("REJECTED", 0L) > 0) {
                    throw new IllegalStateException("run " + run + ": jobs ended badly: " + states);
                }
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException("run " + run + " did not finish in " + TIMEOUT + "; last seen " + states);
    }

    private boolean isEmpty(String state) throws IOException, InterruptedException {
        return get(base + "/api/jobs?type=echo&limit=1&state=" + state).getJsonArray("jobs").isEmpty();
    }

    /** The run's jobs (by idempotency key), paging newest first until older jobs show up. */
    private List<JsonObject> jobsOf(String run, Instant began) throws IOException, InterruptedException {
        Map<String, JsonObject> mine = new java.util.LinkedHashMap<>();
        String next = base + "/api/jobs?type=echo&limit=500";
        Instant before = began.minusSeconds(5);
        while (next != null) {
            JsonObject page = get(next);
            boolean older = false;
            for (JsonValue value : page.getJsonArray("jobs")) {
                JsonObject job = value.asJsonObject();
                if (job.getString("idempotencyKey", "").startsWith(run + "-")) {
                    mine.put(job.getString("id"), job);
                } else if (Instant.parse(job.getString("createdAt")).isBefore(before)) {
                    older = true;
                }
            }
            next = older || !page.containsKey("next") ? null : page.getString("next");
        }
        return new ArrayList<>(mine.values());
    }

    private JsonObject get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = check(http.send(Credentials.request(URI.create(url)).timeout(Duration.ofMinutes(1)).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    private static HttpResponse<String> check(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    static long percentile(long[] sorted, int percent) {
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(sorted.length * percent / 100.0) - 1))];
    }
}
