package io.workerrole.jobs.control.store;

import io.workerrole.jobs.control.notices.NoticeSweeper;
import io.workerrole.jobs.entity.Notice;
import io.workerrole.jobs.entity.NoticeChannel;
import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.Database.truncate;
import static io.workerrole.platform.Database.ts;

/**
 * The notices finished jobs still owe (table {@code worker_notice}): a reply message, an HTTP
 * callback, a dead-letter copy. A notice is written in the transaction that finishes its job,
 * so that a server dying right after cannot lose it, and deleted once sent.
 * <p>
 * A notice is owed with a due time {@link #HANDOFF} after its job finished: until then it is
 * the finishing server's, which sends it at once ({@link #fresh}). A notice whose sending
 * failed is due again after a backoff, and one whose server died falls due when its hand-off
 * lapses: any server's {@link NoticeSweeper} then claims it ({@link #claimDue}) by moving its
 * due time a hand-off ahead. The due time a sender saw is its claim: it marks the notice done
 * or failed only while the due time is still that.
 */
public class NoticeStore {

    /** How long a claim lasts: longer than any one sending (a callback times out after 10 s). */
    public static final Duration HANDOFF = Duration.ofSeconds(30);

    private final Database database;
    private final Clock clock;

    /** For CDI proxies. */
    protected NoticeStore() {
        this(null, null);
    }

    public NoticeStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Records, in the transaction that finishes the job, what it owes: due once the finishing server's claim would lapse. */
    static void owe(Connection c, String jobId, List<NoticeChannel> channels, Instant finishedAt) throws SQLException {
        oweAll(c, channels.stream().map(channel -> new Owed(jobId, channel, finishedAt)).toList());
    }


    /** A notice a job owes, about to be recorded with the job's end. */
    record Owed(String jobId, NoticeChannel channel, Instant finishedAt) {
    }

    /** Records, in the transaction that finishes many jobs, what they owe (see {@link #owe}). */
    static void oweAll(Connection c, List<Owed> owed) throws SQLException {
        if (owed.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO worker_notice (job_id, channel, attempts, due_at) VALUES (?, ?, 0, ?)")) {
            for (Owed notice : owed) {
                s.setString(1, notice.jobId());
                s.setString(2, notice.channel().name());
                s.setTimestamp(3, ts(notice.finishedAt().plus(HANDOFF)));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Forgets what a job owed (it is requeued: its next ending owes afresh). */
    static void forget(Connection c, String jobId) throws SQLException {
        Jdbc.update(c, "DELETE FROM worker_notice WHERE job_id = ?", s -> s.setString(1, jobId));
    }

    /**
     * Deletes a notice that the caller acts on inside its own transaction (a pipeline run
     * records its move from the step's end in the same transaction), whoever had claimed it: it
     * is done exactly when the caller's transaction commits, and still owed if that rolls back.
     */
    public static void settleWithin(Connection c, String jobId, NoticeChannel channel) throws SQLException {
        Jdbc.update(c, "DELETE FROM worker_notice WHERE job_id = ? AND channel = ?", s -> {
            s.setString(1, jobId);
            s.setString(2, channel.name());
        });
    }

    /**
     * The finishing server's own claim on a notice of its job: the notice as owed, untried and
     * within its hand-off (its due time is the claim).
     */
    public Optional<Notice> fresh(String jobId, NoticeChannel channel) throws SQLException {
        Instant now = clock.instant();
        return database.withConnection(c -> Jdbc.queryOne(c, "SELECT due_at FROM worker_notice "
                + "WHERE job_id = ? AND channel = ? AND attempts = 0 AND due_at > ?", s -> {
            s.setString(1, jobId);
            s.setString(2, channel.name());
            s.setTimestamp(3, ts(now));
        }, rs -> new Notice(jobId, channel, 0, instant(rs.getTimestamp(1)))));
    }

    /** Claims up to {@code max} notices that are due (their sending failed, or their server died), oldest first. */
    public List<Notice> claimDue(int max) throws SQLException {
        Instant now = clock.instant();
        Instant claim = claimFrom(now);
        return database.withConnection(c -> {
            List<Notice> due = Jdbc.query(c, "SELECT job_id, channel, attempts, due_at FROM worker_notice "
                    + "WHERE due_at <= ? ORDER BY due_at FETCH FIRST " + max + " ROWS ONLY", s -> s.setTimestamp(1, ts(now)),
                    rs -> new Notice(rs.getString(1), NoticeChannel.valueOf(rs.getString(2)), rs.getInt(3), instant(rs.getTimestamp(4))));
            List<Notice> claimed = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("UPDATE worker_notice SET due_at = ? WHERE job_id = ? AND channel = ? AND due_at = ?")) {
                for (Notice notice : due) {
                    s.setTimestamp(1, ts(claim));
                    s.setString(2, notice.jobId());
                    s.setString(3, notice.channel().name());
                    s.setTimestamp(4, ts(notice.claim()));
                    if (s.executeUpdate() == 1) {
                        claimed.add(new Notice(notice.jobId(), notice.channel(), notice.attempts(), claim));
                    }
                }
            }
            return claimed;
        });
    }

    /** The notice is sent (or given up): it is deleted, unless another server has claimed it meanwhile. */
    public void done(Notice notice) throws SQLException {
        database.withConnection(c -> Jdbc.update(c, "DELETE FROM worker_notice WHERE job_id = ? AND channel = ? AND due_at = ?", s -> {
            s.setString(1, notice.jobId());
            s.setString(2, notice.channel().name());
            s.setTimestamp(3, ts(notice.claim()));
        }));
    }

    /** Sending failed: one attempt more, due again at {@code next}. */
    public void retryAt(Notice notice, Instant next, String error) throws SQLException {
        database.withConnection(c -> Jdbc.update(c, "UPDATE worker_notice SET attempts = ?, due_at = ?, last_error = ? "
                + "WHERE job_id = ? AND channel = ? AND due_at = ?", s -> {
            s.setInt(1, notice.attempts() + 1);
            s.setTimestamp(2, ts(next));
            s.setString(3, truncate(error, JobRows.MAX_ERROR_LENGTH));
            s.setString(4, notice.jobId());
            s.setString(5, notice.channel().name());
            s.setTimestamp(6, ts(notice.claim()));
        }));
    }

    /** Claims are compared for equality: milliseconds survive every database's timestamps. */
    private static Instant claimFrom(Instant now) {
        return now.plus(HANDOFF).truncatedTo(ChronoUnit.MILLIS);
    }
}
