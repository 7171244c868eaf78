package io.workerrole.jobs.control.store;

import io.workerrole.api.JobState;
import io.workerrole.jobs.control.store.JobHistory.HistoryEntry;
import io.workerrole.jobs.entity.Acceptance;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.jobs.entity.NoticeChannel;
import io.workerrole.platform.Database;
import io.workerrole.platform.GroupCommit;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.workerrole.jobs.control.store.JobHistory.appendHistory;
import static io.workerrole.jobs.control.store.JobHistory.event;
import static io.workerrole.jobs.control.store.JobRows.MAX_BATCH;
import static io.workerrole.jobs.control.store.JobRows.MAX_ERROR_LENGTH;
import static io.workerrole.jobs.control.store.JobRows.SELECT;
import static io.workerrole.jobs.control.store.JobRows.findAll;
import static io.workerrole.jobs.control.store.JobRows.require;
import static io.workerrole.platform.Database.truncate;
import static io.workerrole.platform.Database.ts;

/**
 * Records new jobs: queued ones from every intake, rejected ones (invalid input, final at once),
 * and those a schedule starts inside its own transaction. A job and its first history entry are
 * written in one transaction; a job that duplicates an earlier one (same idempotency key of the
 * same caller, same JMS message, same place in a sequence) is not recorded again: the earlier one
 * is returned. Another caller's key is another key: a job of its own.
 * Jobs recorded one at a time by many threads at once share transactions (group commit).
 */
public class JobRecorder {

    private final Database database;
    private final Clock clock;
    private final GroupCommit<NewJob, Acceptance> intakes;

    /** For CDI proxies. */
    protected JobRecorder() {
        this(null, null);
    }

    public JobRecorder(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.intakes = new GroupCommit<>(new GroupCommit.Writer<>() {
            @Override
            public List<Acceptance> writeAll(List<NewJob> jobs) throws SQLException {
                return recordAll(jobs);
            }

            @Override
            public Acceptance writeOne(NewJob job) {
                return insertAlone(job);
            }
        }, MAX_BATCH);
    }

    /**
     * Records a new QUEUED job, or finds the job it duplicates: one with the same idempotency
     * key in the same scope (of the same caller), or the same JMS message (a redelivery).
     */
    public Acceptance insert(NewJob job) {
        try {
            return intakes.write(job);
        } catch (SQLException e) {
            throw new StoreException("Could not record a " + job.request().type() + " job", e);
        }
    }

    /**
     * Records many QUEUED jobs, {@link JobRows#MAX_BATCH} per transaction; where a transaction fails
     * (a duplicate among them), each of its jobs is recorded on its own.
     *
     * @return one acceptance per job, in order
     */
    public List<Acceptance> insertAll(List<NewJob> jobs) {
        try {
            return intakes.writeAll(jobs);
        } catch (SQLException e) {
            throw new StoreException("Could not record a batch of " + jobs.size() + " jobs", e);
        }
    }

    /**
     * Records QUEUED jobs in the caller's JTA transaction, on a connection that takes part in it:
     * nothing is committed here, the caller's commit does it. A job that duplicates an earlier one
     * (also one before it in this call) is not recorded again: the earlier one is returned. Two
     * transactions recording the same new idempotency key at once both get past that check; the
     * second one's insert then fails, and with it that transaction.
     *
     * @return one acceptance per job, in order
     */
    public List<Acceptance> insertAllWithin(List<NewJob> jobs) {
        try {
            return database.inCallerTransaction(c -> {
                Acceptance[] acceptances = new Acceptance[jobs.size()];
                List<String> ids = new ArrayList<>(jobs.size());
                for (int i = 0; i < jobs.size(); i++) {
                    NewJob job = jobs.get(i);
                    Optional<Job> earlier = findDuplicate(c, job);
                    if (earlier.isPresent()) {
                        acceptances[i] = new Acceptance(earlier.get(), true);
                    } else {
                        ids.add(insertNew(c, job));
                    }
                }
                Map<String, Job> byId = new HashMap<>();
                findAll(c, ids).forEach(job -> byId.put(job.id(), job));
                Iterator<String> recorded = ids.iterator();
                for (int i = 0; i < acceptances.length; i++) {
                    if (acceptances[i] == null) {
                        acceptances[i] = new Acceptance(byId.get(recorded.next()), false);
                    }
                }
                return List.of(acceptances);
            });
        } catch (SQLException e) {
            throw new StoreException("Could not record " + jobs.size() + " job(s) in the caller's transaction", e);
        }
    }

    private Acceptance insertAlone(NewJob job) {
        JobRequest request = job.request();
        return record(request.type(), initialState(job, clock.instant()), job, request.payload(), null);
    }

    /** @return SCHEDULED for a job whose run time is still ahead, QUEUED for one to run now */
    private static JobState initialState(NewJob job, Instant now) {
        Instant runAt = job.request() == null ? null : job.request().runAt();
        return runAt != null && runAt.isAfter(now) ? JobState.SCHEDULED : JobState.QUEUED;
    }

    private static String scheduledDetail(NewJob job, JobState state) {
        return state == JobState.SCHEDULED ? "runs at " + job.request().runAt() : null;
    }

    /**
     * Records many QUEUED jobs in one transaction (group commit). Any failure, a duplicate
     * among them included, fails the whole transaction: the caller then records each on its own.
     */
    private List<Acceptance> recordAll(List<NewJob> jobs) throws SQLException {
        Instant now = clock.instant();
        return database.inTransaction(tx -> {
            Connection c = tx.connection();
            List<String> ids = new ArrayList<>(jobs.size());
            List<HistoryEntry> entries = new ArrayList<>(jobs.size());
            try (PreparedStatement s = c.prepareStatement(INSERT)) {
                for (NewJob job : jobs) {
                    String id = UUID.randomUUID().toString();
                    JobState state = initialState(job, now);
                    bindRow(s, id, job.request().type(), state, job, job.request().payload(), null, now);
                    s.addBatch();
                    ids.add(id);
                    entries.add(new HistoryEntry(id, state, now, scheduledDetail(job, state)));
                }
                s.executeBatch();
            }
            appendHistory(c, entries);
            List<Job> recorded = findAll(c, ids);
            tx.commit();
            Map<String, Job> byId = new HashMap<>();
            recorded.forEach(job -> byId.put(job.id(), job));
            return ids.stream().map(id -> new Acceptance(byId.get(id), false)).toList();
        });
    }

    /**
     * Records a rejected request (invalid input), final at once.
     *
     * @param type the type, if it could be read
     * @param body the message as received, kept for the admins
     */
    public Acceptance insertRejected(String type, String body, String reason, NewJob arrival) {
        return record(type == null ? "-" : truncate(type, 100), JobState.REJECTED, arrival, body, reason);
    }

    /**
     * Records a new job (QUEUED, or SCHEDULED when its run time is ahead) inside a wider
     * transaction: a schedule's firing and the job it starts are written together, so that
     * neither exists without the other; jobs from code join their caller's transaction.
     *
     * @return the new job's id
     */
    public String insertNew(Connection c, NewJob job) throws SQLException {
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        JobState state = initialState(job, now);
        insertRow(c, id, job.request().type(), state, job, job.request().payload(), null, now);
        event(c, id, state, now, scheduledDetail(job, state));
        return id;
    }

    /** Inserts the job and its first history entry, or finds the job it duplicates. */
    private Acceptance record(String type, JobState state, NewJob job, String payload, String error) {
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                Job recorded;
                try {
                    insertRow(c, id, type, state, job, payload, error, now);
                    event(c, id, state, now, error != null ? error : scheduledDetail(job, state));
                    recorded = require(c, id);
                    // A rejection is final at once: it owes its reply like any other end.
                    NoticeStore.owe(c, id, NoticeChannel.owedBy(recorded, state), now);
                    tx.commit();
                } catch (SQLException e) {
                    tx.rollback();
                    if (!Database.isUniqueViolation(e)) {
                        throw e;
                    }
                    return new Acceptance(findDuplicate(c, job).orElseThrow(() -> e), true);
                }
                return new Acceptance(recorded, false);
            });
        } catch (SQLException e) {
            throw new StoreException("Could not record a " + type + " job as " + state, e);
        }
    }

    private static final String INSERT = "INSERT INTO worker_job (id, type, state, priority, source, "
            + "payload, error, max_attempts, idempotency_key, message_id, correlation_id, reply_to, callback_url, "
            + "run_after, enqueued_at, created_at, updated_at, finished_at, sequence_key, sequence_number, idempotency_scope, "
            + "mutex_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private void insertRow(Connection c, String id, String type, JobState state, NewJob job, String payload,
                           String error, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            bindRow(s, id, type, state, job, payload, error, now);
            s.executeUpdate();
        }
    }

    private static void bindRow(PreparedStatement s, String id, String type, JobState state, NewJob job, String payload,
                            String error, Instant now) throws SQLException {
        JobRequest request = job.request();
        boolean rejected = state == JobState.REJECTED;
        s.setString(1, id);
        s.setString(2, type);
        s.setString(3, state.name());
        s.setInt(4, job.priority());
        s.setString(5, job.source().name());
        s.setString(6, payload);
        s.setString(7, error == null ? null : truncate(error, MAX_ERROR_LENGTH));
        s.setInt(8, job.maxAttempts());
        String idempotencyKey = idempotencyKey(job, state);
        s.setString(9, idempotencyKey);
        s.setString(10, job.messageId());
        s.setString(11, job.correlationId());
        s.setString(12, job.replyTo());
        s.setString(13, rejected || request == null ? null : request.callbackUrl());
        s.setTimestamp(14, ts(state == JobState.SCHEDULED ? request.runAt() : now));
        s.setTimestamp(15, ts(job.enqueuedAt() == null ? now : job.enqueuedAt()));
        s.setTimestamp(16, ts(now));
        s.setTimestamp(17, ts(now));
        s.setTimestamp(18, rejected ? ts(now) : null);
        boolean sequenced = !rejected && request != null && request.sequenceKey() != null;
        s.setString(19, sequenced ? request.sequenceKey() : null);
        if (sequenced) {
            s.setLong(20, request.sequenceNumber());
        } else {
            s.setNull(20, Types.BIGINT);
        }
        s.setString(21, idempotencyKey == null ? null : job.idempotencyScope());
        s.setString(22, rejected || request == null ? null : request.mutex());
    }

    /** @return the key the job is recorded with: its request's, unless it was rejected (then it keeps none) */
    private static String idempotencyKey(NewJob job, JobState state) {
        return state == JobState.REJECTED || job.request() == null ? null : job.request().idempotencyKey();
    }

    /**
     * The earlier job a new one duplicates: same idempotency key in the same scope (the same
     * caller's), same message, or same place in a sequence.
     */
    private Optional<Job> findDuplicate(Connection c, NewJob job) throws SQLException {
        String idempotencyKey = job.request() == null ? null : job.request().idempotencyKey();
        if (idempotencyKey != null) {
            Optional<Job> byKey = Jdbc.queryOne(c, SELECT + " WHERE idempotency_key = ? AND idempotency_scope = ?", s -> {
                s.setString(1, idempotencyKey);
                s.setString(2, job.idempotencyScope());
            }, JobRows::job);
            if (byKey.isPresent()) {
                return byKey;
            }
        }
        if (job.messageId() != null) {
            Optional<Job> byMessage = Jdbc.queryOne(c, SELECT + " WHERE message_id = ?", s -> s.setString(1, job.messageId()), JobRows::job);
            if (byMessage.isPresent()) {
                return byMessage;
            }
        }
        JobRequest request = job.request();
        if (request != null && request.sequenceKey() != null) {
            return Jdbc.queryOne(c, SELECT + " WHERE sequence_key = ? AND sequence_number = ?", s -> {
                s.setString(1, request.sequenceKey());
                s.setLong(2, request.sequenceNumber());
            }, JobRows::job);
        }
        return Optional.empty();
    }
}
