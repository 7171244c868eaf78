package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.jobs.entity.Transition;
import io.workerrole.platform.ServerPresence;
import io.workerrole.testing.JobStores;
import io.workerrole.testing.LocalPostgres;
import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The takeover of a dead server's running jobs by its presence lock, on PostgreSQL (the only job
 * store several servers share): a second JDBC session stands in for the server. While it lives
 * its jobs stay its own, however long; the moment its session ends they can be queued again,
 * from their checkpoints, with the history and attempts a lapsed lease gives them, without
 * waiting for the lease.
 */
class JobTakeoverIT extends StoreDatabaseTest {

    private static final Duration LEASE = Duration.ofSeconds(60);

    JobTakeoverIT() {
        super("job-takeover-it");
    }

    @Test
    void theRunningJobsOfAServerWhoseSessionEndedAreQueuedAgainAtOnceFromTheirCheckpoints() throws Exception {
        JobStores store = JobStores.on(db.get("postgresql"), clock);
        ServerPresence presence = new ServerPresence(db.get("postgresql"), clock);
        String server = "dead-" + UUID.randomUUID();
        ServerPresence.Session session = presence.hold(server);
        String type = "t" + UUID.randomUUID().toString().substring(0, 8);
        IntStream.range(0, 3).forEach(i -> store.recorder().insert(new NewJob(new JobRequest(type, "{\"n\":" + i + "}", null, null, null, null,
                null, false), JobSource.HTTP, 4, 3, null, null, null, null)));
        List<Job> running = claimAll(store, type, server);
        assertEquals(3, running.size());
        store.outcomes().saveCheckpoint(running.get(0), server, "{\"step\":4}");

        clock.advance(LEASE.dividedBy(2));
        assertEquals(Optional.empty(), store.leases().takeOver(server, presence), "not while its session lives, whatever the time");
        assertTrue(running.stream().allMatch(job -> state(store, job) == JobState.RUNNING));

        LocalPostgres.execute("test", "SELECT pg_terminate_backend(" + session.backend() + ")"); // the server dies
        await().atMost(Duration.ofSeconds(10)).until(() -> presence.absent("me").contains(server));
        List<Job> taken = store.leases().takeOver(server, presence).orElseThrow();

        assertEquals(running.stream().map(Job::id).sorted().toList(), taken.stream().map(Job::id).sorted().toList());
        for (Job job : taken) {
            Job now = store.queries().find(job.id()).orElseThrow();
            assertEquals(JobState.QUEUED, now.state(), "with its lease still a half ahead");
            assertEquals(1, now.attempts(), "the attempt counted, as after a lapsed lease");
            List<Transition> history = store.queries().history(job.id());
            assertEquals(List.of(JobState.QUEUED, JobState.RUNNING, JobState.QUEUED), history.stream().map(Transition::state).toList());
            assertEquals("its server " + server + " stopped answering while it ran", history.get(2).detail());
        }
        assertEquals("{\"step\":4}", store.queries().find(running.get(0).id()).orElseThrow().checkpoint(), "it resumes from its checkpoint");
        assertFalse(presence.absent("me").contains(server), "forgotten with its jobs");
        assertEquals(Optional.empty(), store.leases().takeOver(server, presence), "taken over once");
        assertFalse(store.outcomes().succeed(running.get(1), server, "\"late\""), "whatever the dead server's attempt still sends lands nowhere");
    }

    @Test
    void aServerThatDiedWithNoJobsIsForgottenAndOnlyItsJobsAreTaken() throws SQLException {
        JobStores store = JobStores.on(db.get("postgresql"), clock);
        ServerPresence presence = new ServerPresence(db.get("postgresql"), clock);
        String idle = "idle-" + UUID.randomUUID();
        presence.hold(idle).close();

        assertEquals(Optional.of(List.of()), store.leases().takeOver(idle, presence));
        assertFalse(presence.absent("me").contains(idle));
    }

    private static List<Job> claimAll(JobStores store, String type, String owner) {
        return store.claimAny(10_000, owner, LEASE).stream()
                .filter(job -> job.type().equals(type))
                .sorted(Comparator.comparing(Job::id))
                .toList();
    }

    private static JobState state(JobStores store, Job job) {
        return store.queries().find(job.id()).orElseThrow().state();
    }
}
