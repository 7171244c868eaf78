package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ArtemisPair;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.it.support.User;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of the live broker of a live/backup pair during a burst of 5,000 job messages (issue
 * 13): a plain Java SE producer, at-least-once as real producers are, sends the jobs in
 * transactions of {@value #BATCH} and sends a whole transaction again when it cannot tell that
 * it committed, each job with its own idempotency key. The backup takes over the shared store;
 * the producer and the worker (its job message endpoint) fail over to it by themselves. In the
 * end every key has one job, SUCCEEDED with its own result after one attempt, and nothing went
 * to worker.dead. How long the failover took is printed (the test asserts no timing: a busy
 * machine stretches it).
 */
@ConcurrentClass
class ArtemisFailoverIT {

    private static final int JOBS = 5_000;
    private static final int BATCH = 50;
    /** The producer's progress at which the live broker is killed: well into the burst, and long before its end. */
    private static final int KILL_AFTER = 1_500;

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static ArtemisPair brokers;
    private static LibertyServer server;
    private static Api api;

    @BeforeAll
    static void startPairAndWorker() throws Exception {
        brokers = SERVERS.closeAfter(ArtemisPair.create("artemisFailoverIT", SERVERS.freePort(), SERVERS.freePort()).start());
        server = SERVERS.create("workerArtemisFailoverIT", brokers.workerVariables())
                .bootstrapProperty("worker.messaging", "artemis")
                .start();
        api = server.api();
    }

    @Test
    void afterKillMinus9OfTheLiveBrokerMidBurstEveryJobSucceedsExactlyOnceThroughTheBackup() throws Exception {
        Producer producer = new Producer();
        CompletableFuture<Void> burst = CompletableFuture.runAsync(producer::sendAll);
        await().atMost(Duration.ofSeconds(60)).until(() -> producer.committed.get() >= KILL_AFTER || burst.isDone());
        assertTrue(producer.committed.get() < JOBS, "the live broker dies during the burst, not after it");

        brokers.primary().kill();
        Instant killed = Instant.now();
        producer.killed.set(killed);
        burst.get(2, TimeUnit.MINUTES);

        List<JsonObject> echoes = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
                .until(() -> api.allJobs("echo"), all -> all.size() >= JOBS && all.stream().allMatch(j -> "SUCCEEDED".equals(j.getString("state"))));
        assertEquals(JOBS, echoes.size(), "one job per key, none lost: " + producer.resentBatches.get() + " transactions were sent again");
        assertEquals(IntStream.range(0, JOBS).mapToObj(ArtemisFailoverIT::key).collect(Collectors.toSet()),
                echoes.stream().map(j -> j.getString("idempotencyKey")).collect(Collectors.toSet()));
        for (JsonObject echo : echoes) {
            assertEquals(Integer.parseInt(echo.getString("idempotencyKey").substring("failover-".length())), echo.getInt("result"), echo.toString());
            assertEquals(1, echo.getInt("attempts"), "ran exactly once: " + echo);
        }
        try (JMSContext operator = brokers.context(User.OPERATOR, JMSContext.AUTO_ACKNOWLEDGE);
             QueueBrowser dead = operator.createBrowser(operator.createQueue("worker.dead"))) {
            assertEquals(0, Collections.list(dead.getEnumeration()).size(), "no job message was dead-lettered");
        }

        List<Instant> created = echoes.stream().map(j -> Instant.parse(j.getString("createdAt"))).sorted().toList();
        Instant firstAfter = created.stream().filter(t -> t.isAfter(killed)).findFirst().orElseThrow();
        System.out.printf("Failover after kill -9 of the live broker: the producer's first commit through the backup %d ms after the kill"
                        + " (%d transactions sent again); the worker's first job after the kill %d ms after it, its longest pause"
                        + " between two jobs %d ms; the burst took %d ms to send%n",
                Duration.between(killed, producer.firstCommitAfterKill.get()).toMillis(), producer.resentBatches.get(),
                Duration.between(killed, firstAfter).toMillis(), longestPause(created).toMillis(), producer.took.get().toMillis());
    }

    private static String key(int i) {
        return "failover-" + i;
    }

    private static Duration longestPause(List<Instant> sorted) {
        Duration longest = Duration.ZERO;
        for (int i = 1; i < sorted.size(); i++) {
            Duration pause = Duration.between(sorted.get(i - 1), sorted.get(i));
            longest = pause.compareTo(longest) > 0 ? pause : longest;
        }
        return longest;
    }

    /**
     * The at-least-once producer: a transaction of {@value #BATCH} job messages counts as sent
     * once its commit returns; one whose send or commit fails (the broker died under it, or the
     * commit's outcome is unknown after failover) is sent again whole, with the same keys, so
     * the worker sees some jobs twice and must make one job of them.
     */
    private static final class Producer {

        final AtomicInteger committed = new AtomicInteger();
        final AtomicInteger resentBatches = new AtomicInteger();
        final AtomicReference<Instant> killed = new AtomicReference<>();
        final AtomicReference<Instant> firstCommitAfterKill = new AtomicReference<>();
        final AtomicReference<Duration> took = new AtomicReference<>();

        void sendAll() {
            Instant start = Instant.now();
            try (JMSContext jms = brokers.context(User.SUBMITTER, JMSContext.SESSION_TRANSACTED)) {
                Queue jobs = jms.createQueue("worker.jobs");
                for (int first = 0; first < JOBS; first += BATCH) {
                    Instant attempt = Instant.now();
                    while (!sent(jms, jobs, first)) {
                        resentBatches.incrementAndGet();
                        attempt = Instant.now();
                    }
                    committed.addAndGet(BATCH);
                    // Begun after the kill, so committed through the backup.
                    if (killed.get() != null && attempt.isAfter(killed.get())) {
                        firstCommitAfterKill.compareAndSet(null, Instant.now());
                    }
                }
            }
            took.set(Duration.between(start, Instant.now()));
        }

        private boolean sent(JMSContext jms, Queue jobs, int first) {
            try {
                for (int i = first; i < first + BATCH; i++) {
                    jms.createProducer().send(jobs, "{\"type\": \"echo\", \"payload\": " + i + ", \"idempotencyKey\": \"" + key(i) + "\"}");
                }
                jms.commit();
                return true;
            } catch (JMSRuntimeException e) {
                try {
                    jms.rollback();
                } catch (JMSRuntimeException stillFailingOver) {
                    // The next attempt's sends wait for the failover.
                }
                return false;
            }
        }
    }
}
