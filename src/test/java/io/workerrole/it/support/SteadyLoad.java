package io.workerrole.it.support;

import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A steady stream of job submissions over HTTP, as clients behind a load balancer send them: a
 * batch every tick to the next server in the rotation; a batch (or an element of one) that a
 * server refuses because it is stopping ({@code 503}, or no answer) goes to the next server with
 * the same idempotency keys, so that a batch recorded by a server that could not answer is
 * answered with the same jobs. Refusals are counted, never lost. Every other answer but
 * {@code 202}/{@code 200} is kept as unexpected. The test takes servers out of the rotation
 * (once stopped) and puts them back (once ready) as a load balancer's health checks would.
 */
public final class SteadyLoad implements AutoCloseable {

    /** A job to send: its type and its payload (JSON text). */
    public record Job(String type, String payload) {
    }

    /** A job on its way, with its idempotency key. */
    private record Sent(String key, String type, String payload) {
    }

    /** A job the worker accepted: its key, id, type and the server that accepted it. */
    public record Accepted(String key, String id, String type, String server) {
    }

    /** An element of a batch ended otherwise than accepted, or a server's answer otherwise than expected. */
    public record Unexpected(String server, String type, int status, String detail) {
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How long a batch waits for a server in the rotation when there is none. */
    private static final Duration NO_SERVER_FOR = Duration.ofMinutes(2);
    private static final int MAX_TRIES = 200;

    private final String keyPrefix;
    private final Map<String, Api> rotation = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();
    private final List<Unexpected> unexpected = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService senders = Executors.newFixedThreadPool(4);
    private volatile LongFunction<Job> jobOf;

    /**
     * @param keyPrefix the start of every idempotency key it sends
     * @param jobOf the type and payload of the job of each number (a new mix may be set later: {@link #mix})
     */
    public SteadyLoad(String keyPrefix, LongFunction<Job> jobOf) {
        this.keyPrefix = keyPrefix;
        this.jobOf = jobOf;
    }

    /** Changes what is sent from now on: number → job. */
    public void mix(LongFunction<Job> jobOf) {
        this.jobOf = jobOf;
    }

    /** Puts a server in the rotation (one ready to take jobs). */
    public void add(String server, Api api) {
        rotation.put(server, api);
    }

    /** Takes a server out of the rotation (a stopped one). */
    public void remove(String server) {
        rotation.remove(server);
    }

    /** Sends {@code batch} jobs every {@code tick}, from now until {@link #close}. */
    public SteadyLoad start(int batch, Duration tick) {
        ticks.scheduleAtFixedRate(() -> {
            List<Sent> jobs = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                long n = sequence.getAndIncrement();
                Job job = jobOf.apply(n);
                jobs.add(new Sent(keyPrefix + n, job.type(), job.payload()));
            }
            senders.execute(() -> send(jobs));
        }, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Sends one job to this server alone, outside the stream (a probe of what the server takes in).
     *
     * @return the HTTP status of the element
     */
    public int sendTo(String server, Api api, Job job) {
        Sent sent = new Sent(keyPrefix + "probe-" + sequence.getAndIncrement(), job.type(), job.payload());
        Api.Answer answer = post(api, List.of(sent));
        JsonObject result = answer.json().getJsonArray("jobs").getJsonObject(0);
        if (result.getInt("status") == 202) {
            accept(sent, server, result);
        }
        return result.getInt("status");
    }

    private void send(List<Sent> jobs) {
        List<Sent> pending = jobs;
        String refusedBy = null;
        for (int tries = 0; !pending.isEmpty(); tries++) {
            if (tries == MAX_TRIES) {
                pending.forEach(job -> unexpected.add(new Unexpected("-", job.type(), -1, "no server took " + job.key() + " in " + MAX_TRIES + " tries")));
                return;
            }
            List<String> servers = rotation.keySet().stream().sorted().toList();
            if (servers.isEmpty()) {
                await().atMost(NO_SERVER_FOR).pollInterval(Duration.ofMillis(50)).until(() -> !rotation.isEmpty());
                continue;
            }
            // A server that refused the batch is asked again only when no other is in the rotation, as a load balancer would.
            String refusing = refusedBy;
            List<String> others = servers.stream().filter(candidate -> !candidate.equals(refusing)).toList();
            List<String> choice = others.isEmpty() ? servers : others;
            String server = choice.get(Math.floorMod(next.getAndIncrement(), choice.size()));
            Api api = rotation.get(server);
            if (api == null) {
                continue;
            }
            Api.Answer answer;
            try {
                answer = post(api, pending);
            } catch (UncheckedIOException e) {
                refusedBy = refuse(server);
                continue;
            }
            if (answer.status() == 503) {
                refusedBy = refuse(server);
                continue;
            }
            if (answer.status() != 200) {
                unexpected.add(new Unexpected(server, "batch", answer.status(), answer.body()));
                return;
            }
            List<JsonObject> results = answer.json().getJsonArray("jobs").getValuesAs(JsonObject.class);
            List<Sent> again = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                Sent job = pending.get(i);
                JsonObject result = results.get(i);
                int status = result.getInt("status");
                if (status == 202 || status == 200) {
                    accept(job, server, result);
                } else if (status == 503) {
                    again.add(job);
                } else {
                    unexpected.add(new Unexpected(server, job.type(), status, result.toString()));
                }
            }
            if (!again.isEmpty()) {
                refusedBy = refuse(server);
            }
            pending = again;
        }
    }

    private void accept(Sent sent, String server, JsonObject result) {
        Accepted job = new Accepted(sent.key(), result.getString("id"), sent.type(), server);
        Accepted earlier = accepted.putIfAbsent(sent.key(), job);
        if (earlier != null && !earlier.id().equals(job.id())) {
            unexpected.add(new Unexpected(server, sent.type(), result.getInt("status"), "key " + sent.key() + " answered with job " + job.id()
                    + " after " + earlier.id()));
        }
    }

    /** @return the server, now counted as having refused a batch */
    private String refuse(String server) {
        refused.computeIfAbsent(server, s -> new AtomicLong()).incrementAndGet();
        return server;
    }

    private static Api.Answer post(Api api, List<Sent> jobs) {
        String body = jobs.stream()
                .map(job -> "{\"type\": \"" + job.type() + "\", \"payload\": " + job.payload() + ", \"idempotencyKey\": \"" + job.key() + "\"}")
                .collect(Collectors.joining(", ", "[", "]"));
        return api.send(api.request("/api/jobs").timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** @return the jobs accepted so far, by idempotency key */
    public Map<String, Accepted> accepted() {
        return Map.copyOf(accepted);
    }

    /** @return how many jobs were accepted so far */
    public int acceptedCount() {
        return accepted.size();
    }

    /** @return how many accepted so far were of this type and accepted by this server */
    public long acceptedBy(String server, String type) {
        return accepted.values().stream().filter(job -> job.server().equals(server) && job.type().equals(type)).count();
    }

    /** @return each refusal by a stopping server (or one that did not answer), by server */
    public Map<String, Long> refused() {
        return refused.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
    }

    public List<Unexpected> unexpected() {
        return List.copyOf(unexpected);
    }

    /** Stops sending, and waits for the batches on their way to get their answers. */
    @Override
    public void close() {
        ticks.shutdownNow();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("batches still unanswered a minute after the load stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
