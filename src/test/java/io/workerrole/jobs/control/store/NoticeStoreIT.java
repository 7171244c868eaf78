package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.jobs.entity.Notice;
import io.workerrole.jobs.entity.NoticeChannel;
import io.workerrole.platform.Database;
import io.workerrole.testing.JobStores;
import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notices finished jobs owe, on Derby and PostgreSQL: written with the job's end, claimed
 * by one sender at a time, retried when due, taken over when a sender's claim lapses, and
 * forgotten when the job is requeued.
 */
class NoticeStoreIT extends StoreDatabaseTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private JobStores jobs;
    private NoticeStore notices;

    NoticeStoreIT() {
        super("worker-notice-it");
    }

    /** Opens the stores of this test on the database. */
    private void open(String database) throws SQLException {
        jobs = JobStores.on(db.get(database), clock);
        notices = new NoticeStore(new Database(db.get(database)), clock);
    }

    /** A running job of a type of its own, with a reply queue and a callback URL, claimed by "me". */
    private Job runningJob(int maxAttempts) {
        String type = "n" + UUID.randomUUID().toString().substring(0, 8);
        jobs.recorder().insert(new NewJob(new JobRequest(type, "{}", null, null, null, "http://127.0.0.1:9/done", null, true),
                JobSource.JMS, 4, maxAttempts, "ID:" + type, "corr-" + type, "jms/worker/replies", null));
        List<Job> claimed = jobs.claimAny(10_000, "me", LEASE).stream().filter(j -> j.type().equals(type)).toList();
        assertEquals(1, claimed.size());
        return claimed.get(0);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aJobOwesItsNoticesFromTheTransactionThatEndsItAndItsServerSendsThemFirst(String database) throws SQLException {
        open(database);
        Job job = runningJob(3);
        assertEquals(List.of(), owed(database, job.id()), "nothing owed while it runs");

        assertTrue(jobs.outcomes().dead(job, "me", "broken"));
        assertEquals(List.of("CALLBACK", "DEAD_LETTER", "REPLY"), owed(database, job.id()));
        assertTrue(notices.claimDue(100).stream().noneMatch(n -> n.jobId().equals(job.id())),
                "within its hand-off a notice is the finishing server's");

        Notice reply = notices.fresh(job.id(), NoticeChannel.REPLY).orElseThrow();
        notices.done(reply);
        assertEquals(List.of("CALLBACK", "DEAD_LETTER"), owed(database, job.id()));
        assertTrue(notices.fresh(job.id(), NoticeChannel.REPLY).isEmpty(), "sent once");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFailedNoticeIsDueAfterItsBackoffAndAnotherServerTakesItWhenTheClaimLapses(String database) throws SQLException {
        open(database);
        Job job = runningJob(3);
        assertTrue(jobs.outcomes().succeed(job, "me", "1"));

        Notice callback = notices.fresh(job.id(), NoticeChannel.CALLBACK).orElseThrow();
        notices.retryAt(callback, clock.instant().plusSeconds(1), "HTTP 500");
        assertTrue(mine(notices.claimDue(100), job).isEmpty(), "not due yet");

        clock.advance(Duration.ofSeconds(1));
        List<Notice> first = mine(notices.claimDue(100), job);
        assertEquals(1, first.size());
        assertEquals(NoticeChannel.CALLBACK, first.get(0).channel());
        assertEquals(1, first.get(0).attempts());
        assertTrue(mine(notices.claimDue(100), job).isEmpty(), "claimed: no second sender");

        clock.advance(NoticeStore.HANDOFF);
        List<Notice> lapsed = mine(notices.claimDue(100), job);
        assertEquals(List.of(NoticeChannel.REPLY, NoticeChannel.CALLBACK), lapsed.stream().map(Notice::channel).sorted().toList(),
                "the first sender's claim lapsed, and so did the unsent reply's hand-off: another server takes both");
        List<Notice> second = lapsed.stream().filter(n -> n.channel() == NoticeChannel.CALLBACK).toList();
        notices.done(first.get(0));
        assertEquals(List.of("CALLBACK", "REPLY"), owed(database, job.id()), "a lapsed claim marks nothing done");
        notices.done(second.get(0));
        assertEquals(List.of("REPLY"), owed(database, job.id()));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aJobThatDiesWithItsServerOwesItsNoticesAndARequeueForgetsThem(String database) throws SQLException {
        open(database);
        Job job = runningJob(1);

        clock.advance(LEASE.plusSeconds(1));
        jobs.leases().recover(null);
        assertEquals(JobState.DEAD, jobs.queries().find(job.id()).orElseThrow().state(), "its only attempt was used up");
        assertEquals(List.of("CALLBACK", "DEAD_LETTER", "REPLY"), owed(database, job.id()));
        clock.advance(NoticeStore.HANDOFF);
        assertEquals(3, mine(notices.claimDue(100), job).size(), "nobody is sending them: due once the hand-off passed");

        jobs.requeues().requeue(job.id());
        assertEquals(List.of(), owed(database, job.id()), "requeued: its next end owes afresh");
    }

    private static List<Notice> mine(List<Notice> notices, Job job) {
        return notices.stream().filter(n -> n.jobId().equals(job.id())).toList();
    }

    private List<String> owed(String database, String jobId) throws SQLException {
        DataSource dataSource = db.get(database);
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT channel FROM worker_notice WHERE job_id = ? ORDER BY channel")) {
            s.setString(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                List<String> channels = new ArrayList<>();
                while (rs.next()) {
                    channels.add(rs.getString(1));
                }
                return channels;
            }
        }
    }
}
