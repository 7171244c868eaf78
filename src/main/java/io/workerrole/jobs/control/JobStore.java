package io.workerrole.jobs.control;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Acceptance;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.jobs.entity.NoticeChannel;
import io.workerrole.jobs.entity.Transition;
import io.workerrole.platform.Database;
import io.workerrole.platform.Dialect;
import io.workerrole.platform.GroupCommit;
import io.workerrole.platform.PagedQuery;
import io.workerrole.platform.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.logging.Logger;

import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.Database.truncate;
import static io.workerrole.platform.Database.ts;

/**
 * The job store: the source of truth for every job's state, on plain JDBC. Each change of
 * state and its history entry are written in one transaction. Updates of a running job are
 * fenced by its owner, so a server that lost a job (its lease lapsed and another server took
 * it) cannot overwrite the new owner's work.
 */
public class JobStore {

    static final int MAX_ERROR_LENGTH = 4000;
    private static final String COLUMNS = "id, seq, type, state, priority, source, payload, result, error, progress, "
            + "checkpoint, attempts, max_attempts, idempotency_key, message_id, correlation_id, reply_to, callback_url, "
            + "owner, run_after, enqueued_at, created_at, started_at, finished_at, updated_at, sequence_key, sequence_number";
    /** How long a job of a sequence waits for a missing predecessor when the caller does not say. */
    public static final Duration DEFAULT_SEQUENCE_GAP_TIMEOUT = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger("io.workerrole.jobs");

    /** The most jobs (or outcomes) written in one transaction. */
    static final int MAX_BATCH = 200;

    private final Database database;
    private final Clock clock;
    private final Dialect dialect;
    private final GroupCommit<NewJob, Acceptance> intakes;
    private final GroupCommit<Finish, Boolean> finishes;

    /** For CDI proxies. */
    protected JobStore() {
        this(null, null, null);
    }

    public JobStore(DataSource dataSource, Clock clock, Dialect dialect) {
        this.database = dataSource == null ? null : new Database(dataSource);
        this.clock = clock;
        this.dialect = dialect;
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
        this.finishes = new GroupCommit<>(new GroupCommit.Writer<>() {
            @Override
            public List<Boolean> writeAll(List<Finish> batch) throws SQLException {
                return database.inTransaction(tx -> {
                    List<Boolean> updated = finishAll(tx.connection(), batch);
                    tx.commit();
                    return updated;
                });
            }

            @Override
            public Boolean writeOne(Finish finish) throws SQLException {
                return writeAll(List.of(finish)).get(0);
            }
        }, MAX_BATCH);
    }

    /** Opens a store on a data source, finding out which database it is. */
    public static JobStore on(DataSource dataSource, Clock clock) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return new JobStore(dataSource, clock, Dialect.of(connection));
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * Records a new QUEUED job, or finds the job it duplicates: one with the same idempotency
     * key, or the same JMS message (a redelivery).
     */
    public Acceptance insert(NewJob job) {
        try {
            return intakes.write(job);
        } catch (SQLException e) {
            throw new StoreException("Could not record a " + job.request().type() + " job", e);
        }
    }

    /**
     * Records many QUEUED jobs, {@link #MAX_BATCH} per transaction; where a transaction fails
     * (a duplicate among them), each of its jobs is recorded on its own.
     *
     * @return one acceptance per job, in order
     */
    public List<Acceptance> insertAll(List<NewJob> jobs) {
        List<Acceptance> accepted = new ArrayList<>(jobs.size());
        for (int from = 0; from < jobs.size(); from += MAX_BATCH) {
            List<NewJob> chunk = jobs.subList(from, Math.min(from + MAX_BATCH, jobs.size()));
            try {
                accepted.addAll(recordAll(chunk));
            } catch (SQLException e) {
                chunk.forEach(job -> accepted.add(insertAlone(job)));
            }
        }
        return accepted;
    }

    private Acceptance insertAlone(NewJob job) {
        JobRequest request = job.request();
        return record(request.type(), JobState.QUEUED, job, request.payload(), null, request.idempotencyKey());
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
                    bindRow(s, id, job.request().type(), JobState.QUEUED, job, job.request().payload(), null, now);
                    s.addBatch();
                    ids.add(id);
                    entries.add(new HistoryEntry(id, JobState.QUEUED, now, null));
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
        return record(type == null ? "-" : truncate(type, 100), JobState.REJECTED, arrival, body, reason, null);
    }

    /**
     * Records a new QUEUED job inside a wider transaction: a schedule's firing and the job it
     * starts are written together, so that neither exists without the other.
     *
     * @return the new job's id
     */
    public String insertQueued(Connection c, NewJob job) throws SQLException {
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        insertRow(c, id, job.request().type(), JobState.QUEUED, job, job.request().payload(), null, now);
        event(c, id, JobState.QUEUED, now, null);
        return id;
    }

    /** Reads a job inside a wider transaction. */
    public Optional<Job> find(Connection c, String id) throws SQLException {
        return queryOne(c, "SELECT " + COLUMNS + " FROM worker_job WHERE id = ?", id);
    }

    /** Inserts the job and its first history entry, or finds the job it duplicates. */
    private Acceptance record(String type, JobState state, NewJob job, String payload, String error, String idempotencyKey) {
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                Job recorded;
                try {
                    insertRow(c, id, type, state, job, payload, error, now);
                    event(c, id, state, now, error);
                    recorded = require(c, id);
                    // A rejection is final at once: it owes its reply like any other end.
                    NoticeStore.owe(c, id, NoticeChannel.owedBy(recorded, state), now);
                    tx.commit();
                } catch (SQLException e) {
                    tx.rollback();
                    if (!Database.isUniqueViolation(e)) {
                        throw e;
                    }
                    return new Acceptance(findDuplicate(c, idempotencyKey, job).orElseThrow(() -> e), true);
                }
                return new Acceptance(recorded, false);
            });
        } catch (SQLException e) {
            throw new StoreException("Could not record a " + type + " job as " + state, e);
        }
    }

    private static final String INSERT = "INSERT INTO worker_job (id, type, state, priority, source, "
            + "payload, error, max_attempts, idempotency_key, message_id, correlation_id, reply_to, callback_url, "
            + "run_after, enqueued_at, created_at, updated_at, finished_at, sequence_key, sequence_number) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

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
        s.setString(9, rejected || request == null ? null : request.idempotencyKey());
        s.setString(10, job.messageId());
        s.setString(11, job.correlationId());
        s.setString(12, job.replyTo());
        s.setString(13, rejected || request == null ? null : request.callbackUrl());
        s.setTimestamp(14, ts(now));
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
    }

    /** The earlier job a new one duplicates: same idempotency key, same message, or same place in a sequence. */
    private Optional<Job> findDuplicate(Connection c, String idempotencyKey, NewJob job) throws SQLException {
        if (idempotencyKey != null) {
            Optional<Job> byKey = queryOne(c, "SELECT " + COLUMNS + " FROM worker_job WHERE idempotency_key = ?", idempotencyKey);
            if (byKey.isPresent()) {
                return byKey;
            }
        }
        if (job.messageId() != null) {
            Optional<Job> byMessage = queryOne(c, "SELECT " + COLUMNS + " FROM worker_job WHERE message_id = ?", job.messageId());
            if (byMessage.isPresent()) {
                return byMessage;
            }
        }
        JobRequest request = job.request();
        if (request != null && request.sequenceKey() != null) {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM worker_job WHERE sequence_key = ? AND sequence_number = ?")) {
                s.setString(1, request.sequenceKey());
                s.setLong(2, request.sequenceNumber());
                return jobs(s).stream().findFirst();
            }
        }
        return Optional.empty();
    }

    /**
     * Claims runnable jobs for this server: highest priority first, then oldest, skipping types
     * that are at their concurrency limit. Each claim counts as an attempt.
     *
     * @param max how many to claim at most
     * @param excludedTypes types not to claim now
     * @param owner this server's id
     * @param lease how long the claim holds without renewal
     */
    public List<Job> claim(int max, Collection<String> excludedTypes, String owner, Duration lease) {
        return claim(max, excludedTypes, owner, lease, DEFAULT_SEQUENCE_GAP_TIMEOUT);
    }

    /**
     * Claims as {@link #claim(int, Collection, String, Duration)} does. A job with a sequence is
     * runnable only when every job of its key with a lower number has finished, and its
     * predecessor (number - 1) exists; a job whose predecessor never arrives runs once it has
     * waited the gap timeout, and the gap is recorded in its history.
     *
     * @param gapTimeout how long a job of a sequence waits for a missing predecessor
     */
    public List<Job> claim(int max, Collection<String> excludedTypes, String owner, Duration lease, Duration gapTimeout) {
        if (max <= 0) {
            return List.of();
        }
        Instant now = clock.instant();
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                Instant gapCutoff = now.minus(gapTimeout);
                Claimed claim = dialect == Dialect.POSTGRESQL
                        ? claimSkippingLocked(c, max, excludedTypes, owner, lease, gapCutoff)
                        : claimOptimistically(c, max, excludedTypes, owner, lease, gapCutoff);
                List<String> ids = claim.ids();
                if (ids.isEmpty()) {
                    tx.commit();
                    return List.of();
                }
                events(c, ids, JobState.RUNNING, claim.at(), owner);
                List<Job> claimed = claim.jobs() != null ? new ArrayList<>(claim.jobs()) : findAll(c, ids);
                recordGaps(c, claimed, gapTimeout, claim.at());
                tx.commit();
                // Read back by id, in no order: start them in claim order.
                claimed.sort(Comparator.comparingInt(Job::priority).reversed().thenComparingLong(Job::seq));
                return claimed;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not claim jobs", e);
        }
    }

    /**
     * The next jobs to run. One state and the index's own order (state, priority DESC, seq), so
     * that both databases read the first rows of the index instead of sorting the whole backlog.
     */
    private static String candidates(Collection<String> excludedTypes) {
        return "SELECT j.id FROM worker_job j WHERE j.state = 'QUEUED'"
                + (excludedTypes.isEmpty() ? "" : " AND j.type NOT IN (" + String.join(", ", Collections.nCopies(excludedTypes.size(), "?")) + ")")
                + " AND (j.sequence_key IS NULL OR " + SEQUENCE_TURN + ")"
                + " ORDER BY j.priority DESC, j.seq";
    }

    /**
     * A job of a sequence may run when no job of its key with a lower number is unfinished, and
     * it is its key's first number (0 or 1), its predecessor exists, or it has waited out the gap
     * timeout (the one parameter: the latest enqueue time that has).
     */
    private static final String SEQUENCE_TURN = "NOT EXISTS (SELECT 1 FROM worker_job p WHERE p.sequence_key = j.sequence_key "
            + "AND p.sequence_number < j.sequence_number AND p.state NOT IN ('SUCCEEDED', 'DEAD', 'CANCELLED', 'REJECTED')) "
            + "AND (j.sequence_number <= 1 OR j.enqueued_at <= ? OR EXISTS (SELECT 1 FROM worker_job p WHERE "
            + "p.sequence_key = j.sequence_key AND p.sequence_number = j.sequence_number - 1))";

    private static int bindCandidates(PreparedStatement s, int index, Collection<String> excludedTypes, Instant gapCutoff) throws SQLException {
        for (String type : excludedTypes) {
            s.setString(index++, type);
        }
        s.setTimestamp(index++, ts(gapCutoff));
        return index;
    }

    /** Says, in the history of each claimed job of a sequence that runs past a gap, which number it did not wait for. */
    private void recordGaps(Connection c, List<Job> claimed, Duration gapTimeout, Instant now) throws SQLException {
        for (Job job : claimed) {
            if (job.sequenceKey() == null || job.sequenceNumber() <= 1) {
                continue;
            }
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM worker_job WHERE sequence_key = ? AND sequence_number = ?")) {
                s.setString(1, job.sequenceKey());
                s.setLong(2, job.sequenceNumber() - 1);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        String gap = "sequence " + job.sequenceKey() + ": number " + (job.sequenceNumber() - 1)
                                + " did not arrive within " + gapTimeout + "; running number " + job.sequenceNumber() + " without it";
                        event(c, job.id(), JobState.RUNNING, now, gap);
                        LOG.warning(() -> "[job " + job.id() + " " + job.type() + "] " + gap);
                    }
                }
            }
        }
    }

    private static final String START = "SET state = 'RUNNING', owner = ?, lease_until = ?, attempts = attempts + 1, "
            + "error = NULL, started_at = ?, updated_at = ?";

    private static int bindStart(PreparedStatement s, String owner, Instant now, Instant leaseUntil) throws SQLException {
        s.setString(1, owner);
        s.setTimestamp(2, ts(leaseUntil));
        s.setTimestamp(3, ts(now));
        s.setTimestamp(4, ts(now));
        return 5;
    }

    /**
     * The jobs a claim took, and the time it took them (their start).
     *
     * @param jobs the jobs as they are now, if the claim read them back; or null
     */
    private record Claimed(List<String> ids, Instant at, List<Job> jobs) {
    }

    /**
     * Locks the candidates (skipping those another server has locked), then starts them. The
     * start time is read between the two, so that a job never appears to start before it was
     * recorded, nor before its predecessor in a sequence finished.
     */
    private Claimed claimSkippingLocked(Connection c, int max, Collection<String> excludedTypes, String owner,
                                        Duration lease, Instant gapCutoff) throws SQLException {
        List<String> ids;
        try (PreparedStatement s = c.prepareStatement(candidates(excludedTypes) + " LIMIT ? FOR UPDATE OF j SKIP LOCKED")) {
            int index = bindCandidates(s, 1, excludedTypes, gapCutoff);
            s.setInt(index, max);
            ids = ids(s);
        }
        Instant now = clock.instant();
        if (ids.isEmpty()) {
            return new Claimed(ids, now, List.of());
        }
        // RETURNING reads the started jobs back in the same round trip.
        try (PreparedStatement s = c.prepareStatement("UPDATE worker_job " + START + " WHERE id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ") RETURNING " + COLUMNS)) {
            int index = bindStart(s, owner, now, now.plus(lease));
            for (String id : ids) {
                s.setString(index++, id);
            }
            return new Claimed(ids, now, jobs(s));
        }
    }


    /**
     * Reads the candidates, then takes them one by one. The start time is read after the
     * candidates: reading them may wait for the transaction that finishes a job's predecessor,
     * and a job must not appear to start before its predecessor finished.
     */
    private Claimed claimOptimistically(Connection c, int max, Collection<String> excludedTypes, String owner,
                                        Duration lease, Instant gapCutoff) throws SQLException {
        List<String> candidates;
        try (PreparedStatement s = c.prepareStatement(candidates(excludedTypes) + " FETCH FIRST " + max + " ROWS ONLY")) {
            bindCandidates(s, 1, excludedTypes, gapCutoff);
            candidates = ids(s);
        }
        Instant now = clock.instant();
        List<String> claimed = new ArrayList<>(candidates.size());
        try (PreparedStatement s = c.prepareStatement("UPDATE worker_job " + START + " WHERE id = ? AND state = 'QUEUED'")) {
            for (String id : candidates) {
                int index = bindStart(s, owner, now, now.plus(lease));
                s.setString(index, id);
                if (s.executeUpdate() == 1) {
                    claimed.add(id);
                }
            }
        }
        return new Claimed(claimed, now, null);
    }

    /**
     * Puts failed jobs whose next attempt is due back in the queue, so that claims need to look
     * at QUEUED jobs only.
     *
     * @return how many
     */
    public int queueDueRetries() {
        Instant now = clock.instant();
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                List<String> due;
                try (PreparedStatement s = c.prepareStatement("SELECT id FROM worker_job WHERE state = 'FAILED' AND run_after <= ?")) {
                    s.setTimestamp(1, ts(now));
                    due = ids(s);
                }
                List<String> queued = new ArrayList<>(due.size());
                try (PreparedStatement s = c.prepareStatement("UPDATE worker_job SET state = 'QUEUED', updated_at = ? WHERE id = ? AND state = 'FAILED'")) {
                    for (String id : due) {
                        s.setTimestamp(1, ts(now));
                        s.setString(2, id);
                        if (s.executeUpdate() == 1) {
                            queued.add(id);
                        }
                    }
                }
                if (!queued.isEmpty()) {
                    events(c, queued, JobState.QUEUED, now, "retry due");
                }
                tx.commit();
                return queued.size();
            });
        } catch (SQLException e) {
            throw new StoreException("Could not queue due retries", e);
        }
    }

    /** Records success, and in the same transaction the notices the job owes. @return false if this server no longer owns the job */
    public boolean succeed(Job job, String owner, String result) {
        Instant now = clock.instant();
        return finishRunning(job, owner, JobState.SUCCEEDED, null,
                "result = ?, progress = 100, finished_at = ?", s -> {
                    s.setString(1, result);
                    s.setTimestamp(2, ts(now));
                    return 3;
                }, now);
    }

    /** Records a failed attempt that will be retried at {@code nextAttempt}. */
    public boolean retryLater(Job job, String owner, String error, Instant nextAttempt) {
        return finishRunning(job, owner, JobState.FAILED, error, "error = ?, run_after = ?", s -> {
            s.setString(1, truncate(error, MAX_ERROR_LENGTH));
            s.setTimestamp(2, ts(nextAttempt));
            return 3;
        }, clock.instant());
    }

    /** Records that the job is given up, and in the same transaction the notices it owes. */
    public boolean dead(Job job, String owner, String error) {
        Instant now = clock.instant();
        return finishRunning(job, owner, JobState.DEAD, error, "error = ?, finished_at = ?", s -> {
            s.setString(1, truncate(error, MAX_ERROR_LENGTH));
            s.setTimestamp(2, ts(now));
            return 3;
        }, now);
    }

    /**
     * Puts a running job back in the queue without counting the attempt: the worker stopped or
     * froze while it ran. It resumes from its checkpoint.
     */
    public boolean release(Job job, String owner) {
        Instant now = clock.instant();
        return finishRunning(job, owner, JobState.QUEUED, "released by " + owner + " (stopping)",
                "attempts = attempts - 1, run_after = ?", s -> {
                    s.setTimestamp(1, ts(now));
                    return 2;
                }, now);
    }

    @FunctionalInterface
    private interface Binder {
        int bind(PreparedStatement statement) throws SQLException;
    }

    /** A running job's end, as one of the methods above records it: its new state and the columns that change. */
    private record Finish(Job job, String owner, JobState state, String detail, String set, Binder binder, Instant now) {

        String sql() {
            return "UPDATE worker_job SET state = '" + state.name() + "', " + set + ", owner = NULL, lease_until = NULL, "
                    + "updated_at = ? WHERE id = ? AND owner = ? AND state = 'RUNNING'";
        }
    }

    private boolean finishRunning(Job job, String owner, JobState state, String detail, String set, Binder binder, Instant now) {
        try {
            return finishes.write(new Finish(job, owner, state, detail, set, binder, now));
        } catch (SQLException e) {
            throw new StoreException("Could not record job " + job.id() + " as " + state, e);
        }
    }

    /**
     * Records the ends of many running jobs in one transaction, each with its history entry and
     * the notices it owes. An end is recorded only where its server still owns the job.
     *
     * @return for each end, whether it was recorded
     */
    private static List<Boolean> finishAll(Connection c, List<Finish> batch) throws SQLException {
        Map<String, List<Integer>> byStatement = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byStatement.computeIfAbsent(batch.get(i).sql(), sql -> new ArrayList<>()).add(i);
        }
        Boolean[] updated = new Boolean[batch.size()];
        for (Map.Entry<String, List<Integer>> statement : byStatement.entrySet()) {
            try (PreparedStatement s = c.prepareStatement(statement.getKey())) {
                for (int i : statement.getValue()) {
                    Finish finish = batch.get(i);
                    int index = finish.binder().bind(s);
                    s.setTimestamp(index++, ts(finish.now()));
                    s.setString(index++, finish.job().id());
                    s.setString(index, finish.owner());
                    s.addBatch();
                }
                int[] counts = s.executeBatch();
                for (int k = 0; k < counts.length; k++) {
                    updated[statement.getValue().get(k)] = counts[k] == 1;
                }
            }
        }
        List<HistoryEntry> entries = new ArrayList<>(batch.size());
        List<NoticeStore.Owed> owed = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (updated[i]) {
                Finish finish = batch.get(i);
                entries.add(new HistoryEntry(finish.job().id(), finish.state(), finish.now(), finish.detail()));
                for (NoticeChannel channel : NoticeChannel.owedBy(finish.job(), finish.state())) {
                    owed.add(new NoticeStore.Owed(finish.job().id(), channel, finish.now()));
                }
            }
        }
        appendHistory(c, entries);
        NoticeStore.oweAll(c, owed);
        return List.of(updated);
    }

    /** Saves progress of a running job owned by this server. */
    public void saveProgress(String jobId, String owner, int percent) {
        updateRunning(jobId, owner, "progress = ?", s -> s.setInt(1, Math.max(0, Math.min(100, percent))));
    }

    /** Saves the checkpoint of a running job owned by this server. */
    public void saveCheckpoint(String jobId, String owner, String checkpoint) {
        updateRunning(jobId, owner, "checkpoint = ?", s -> s.setString(1, checkpoint));
    }

    @FunctionalInterface
    private interface SingleBinder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private void updateRunning(String jobId, String owner, String set, SingleBinder binder) {
        String sql = "UPDATE worker_job SET " + set + ", updated_at = ? WHERE id = ? AND owner = ? AND state = 'RUNNING'";
        int updated;
        try {
            updated = database.withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    binder.bind(s);
                    s.setTimestamp(2, ts(clock.instant()));
                    s.setString(3, jobId);
                    s.setString(4, owner);
                    return s.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new StoreException("Could not update job " + jobId, e);
        }
        if (updated != 1) {
            throw new StoreException("Job " + jobId + " is no longer running on " + owner, null);
        }
    }

    /**
     * Extends the leases of the given jobs, which this server is running.
     *
     * @return how many leases were extended
     */
    public int renewLeases(Collection<String> jobIds, String owner, Duration lease) {
        if (jobIds.isEmpty()) {
            return 0;
        }
        Instant until = clock.instant().plus(lease);
        List<String> ids = List.copyOf(jobIds);
        try {
            return database.withConnection(c -> {
                int renewed = 0;
                for (int from = 0; from < ids.size(); from += 100) {
                    List<String> chunk = ids.subList(from, Math.min(from + 100, ids.size()));
                    try (PreparedStatement s = c.prepareStatement("UPDATE worker_job SET lease_until = ? WHERE owner = ? "
                            + "AND state = 'RUNNING' AND id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")")) {
                        s.setTimestamp(1, ts(until));
                        s.setString(2, owner);
                        for (int i = 0; i < chunk.size(); i++) {
                            s.setString(3 + i, chunk.get(i));
                        }
                        renewed += s.executeUpdate();
                    }
                }
                return renewed;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not renew leases", e);
        }
    }

    /**
     * Takes back RUNNING jobs whose owner is gone: those whose lease lapsed, or (at start) those
     * this very server owned before it died. They run again from their checkpoint; a job whose
     * attempts are used up ends DEAD, so a job that kills its server cannot do so for ever.
     *
     * @param owner only this owner's jobs, whatever their lease; or null for every lapsed lease
     * @return the jobs taken back
     */
    public List<Job> recover(String owner) {
        Instant now = clock.instant();
        String where = owner != null ? "owner = ?" : "lease_until < ?";
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                List<String> ids;
                try (PreparedStatement s = c.prepareStatement("SELECT id FROM worker_job WHERE state = 'RUNNING' AND " + where)) {
                    if (owner != null) {
                        s.setString(1, owner);
                    } else {
                        s.setTimestamp(1, ts(now));
                    }
                    ids = ids(s);
                }
                List<Job> recovered = new ArrayList<>();
                for (String id : ids) {
                    Job job = require(c, id);
                    boolean exhausted = job.attempts() >= job.maxAttempts();
                    JobState next = exhausted ? JobState.DEAD : JobState.QUEUED;
                    String detail = "its server " + job.owner() + " stopped answering while it ran"
                            + (exhausted ? "; no attempts left" : "");
                    try (PreparedStatement s = c.prepareStatement("UPDATE worker_job SET state = ?, owner = NULL, lease_until = NULL, "
                            + "run_after = ?, updated_at = ?, error = ?, finished_at = ? WHERE id = ? AND state = 'RUNNING' AND owner = ?")) {
                        s.setString(1, next.name());
                        s.setTimestamp(2, ts(now));
                        s.setTimestamp(3, ts(now));
                        s.setString(4, exhausted ? detail : null);
                        s.setTimestamp(5, exhausted ? ts(now) : null);
                        s.setString(6, id);
                        s.setString(7, job.owner());
                        if (s.executeUpdate() == 1) {
                            event(c, id, next, now, detail);
                            // Its notices go out through the sweeper, once their hand-off has passed.
                            NoticeStore.owe(c, id, NoticeChannel.owedBy(job, next), now);
                            recovered.add(require(c, id));
                        }
                    }
                }
                tx.commit();
                return recovered;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not recover jobs", e);
        }
    }

    /**
     * Puts a DEAD or CANCELLED job back in the queue for a fresh set of attempts (an admin's
     * requeue). Its history keeps what happened before.
     *
     * @return the job as it is now, or empty if there is no such job
     * @throws IllegalStateException if the job is in another state
     */
    public Optional<Job> requeue(String id) {
        Instant now = clock.instant();
        try {
            return database.inTransaction(tx -> {
                Connection c = tx.connection();
                Optional<Job> job = queryOne(c, "SELECT " + COLUMNS + " FROM worker_job WHERE id = ?", id);
                if (job.isEmpty()) {
                    return job;
                }
                if (!requeue(c, job.get(), now)) {
                    throw new IllegalStateException("job " + id + " is " + job.get().state() + "; only DEAD and CANCELLED jobs are requeued");
                }
                tx.commit();
                return Optional.of(require(c, id));
            });
        } catch (SQLException e) {
            throw new StoreException("Could not requeue job " + id, e);
        }
    }

    /**
     * Requeues every DEAD job, or those of one type, {@link #REQUEUE_BATCH} per transaction, in
     * the order they were recorded and up to the last job recorded when it began. Each job is
     * visited once, by a cursor on its seq: one that dies again while the requeue goes on stays
     * DEAD, and so does one recorded after it began.
     *
     * @param afterEach told the ids of each batch's jobs once that batch has committed
     * @return how many jobs were requeued
     */
    public int requeueDead(String type, Consumer<List<String>> afterEach) {
        try {
            long last = database.withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT MAX(seq) FROM worker_job"); ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            });
            int requeued = 0;
            DeadPage page;
            long after = Long.MIN_VALUE;
            do {
                page = requeueDead(type, after, last);
                if (!page.requeued().isEmpty()) {
                    afterEach.accept(page.requeued());
                    requeued += page.requeued().size();
                }
                after = page.lastSeq();
            } while (page.visited() == REQUEUE_BATCH);
            return requeued;
        } catch (SQLException e) {
            throw new StoreException("Could not requeue dead jobs", e);
        }
    }

    /** DEAD jobs visited per transaction by {@link #requeueDead(String, Consumer)}. */
    public static final int REQUEUE_BATCH = 500;

    /** One batch of a requeue of dead jobs: how many it visited, the last one's seq, those it requeued. */
    private record DeadPage(int visited, long lastSeq, List<String> requeued) {
    }

    private DeadPage requeueDead(String type, long afterSeq, long lastSeq) throws SQLException {
        Instant now = clock.instant();
        return database.inTransaction(tx -> {
            Connection c = tx.connection();
            List<Job> dead;
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM worker_job WHERE state = 'DEAD'"
                    + (type == null ? "" : " AND type = ?") + " AND seq > ? AND seq <= ? ORDER BY seq FETCH FIRST "
                    + REQUEUE_BATCH + " ROWS ONLY")) {
                int index = 1;
                if (type != null) {
                    s.setString(index++, type);
                }
                s.setLong(index++, afterSeq);
                s.setLong(index, lastSeq);
                dead = jobs(s);
            }
            List<String> requeued = new ArrayList<>();
            for (Job job : dead) {
                if (requeue(c, job, now)) {
                    requeued.add(job.id());
                }
            }
            tx.commit();
            return new DeadPage(dead.size(), dead.isEmpty() ? afterSeq : dead.get(dead.size() - 1).seq(), requeued);
        });
    }

    private static boolean requeue(Connection c, Job job, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE worker_job SET state = 'QUEUED', attempts = 0, error = NULL, "
                + "run_after = ?, finished_at = NULL, updated_at = ? WHERE id = ? AND state IN ('DEAD', 'CANCELLED')")) {
            s.setTimestamp(1, ts(now));
            s.setTimestamp(2, ts(now));
            s.setString(3, job.id());
            if (s.executeUpdate() != 1) {
                return false;
            }
        }
        event(c, job.id(), JobState.QUEUED, now, "requeued by an admin after " + job.state());
        NoticeStore.forget(c, job.id());
        return true;
    }

    public Optional<Job> find(String id) {
        try {
            return database.withConnection(c -> queryOne(c, "SELECT " + COLUMNS + " FROM worker_job WHERE id = ?", id));
        } catch (SQLException e) {
            throw new StoreException("Could not read job " + id, e);
        }
    }

    /** @return the job's history, oldest first */
    public List<Transition> history(String id) {
        try {
            return database.withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT state, entered_at, detail FROM worker_job_event WHERE job_id = ? ORDER BY seq")) {
                    s.setString(1, id);
                    List<Transition> history = new ArrayList<>();
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            history.add(new Transition(JobState.valueOf(rs.getString(1)), instant(rs.getTimestamp(2)), rs.getString(3)));
                        }
                    }
                    return history;
                }
            });
        } catch (SQLException e) {
            throw new StoreException("Could not read the history of job " + id, e);
        }
    }

    /**
     * Lists jobs, newest first.
     *
     * @param state only this state, or null
     * @param type only this type, or null
     * @param limit at most this many
     * @param beforeSeq only jobs older than this position (for the next page), or null
     */
    public List<Job> list(JobState state, String type, int limit, Long beforeSeq) {
        try {
            return new PagedQuery("SELECT " + COLUMNS + " FROM worker_job")
                    .where("state", state == null ? null : state.name())
                    .where("type", type)
                    .page(database, limit, beforeSeq, JobStore::jobs);
        } catch (SQLException e) {
            throw new StoreException("Could not list jobs", e);
        }
    }

    private static void event(Connection c, String jobId, JobState state, Instant at, String detail) throws SQLException {
        appendHistory(c, List.of(new HistoryEntry(jobId, state, at, detail)));
    }


    /** Records one transition for many jobs, in one batch. */
    private static void events(Connection c, List<String> jobIds, JobState state, Instant at, String detail) throws SQLException {
        appendHistory(c, jobIds.stream().map(id -> new HistoryEntry(id, state, at, detail)).toList());
    }

    /** One entry of a job's history, about to be written. */
    private record HistoryEntry(String jobId, JobState state, Instant at, String detail) {
    }

    /** Writes history entries in one batch. */
    private static void appendHistory(Connection c, List<HistoryEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO worker_job_event (job_id, state, entered_at, detail) VALUES (?, ?, ?, ?)")) {
            for (HistoryEntry entry : entries) {
                s.setString(1, entry.jobId());
                s.setString(2, entry.state().name());
                s.setTimestamp(3, ts(entry.at()));
                if (entry.detail() == null) {
                    s.setNull(4, Types.VARCHAR);
                } else {
                    s.setString(4, truncate(entry.detail(), MAX_ERROR_LENGTH));
                }
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static List<Job> findAll(Connection c, List<String> ids) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM worker_job WHERE id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                s.setString(i + 1, ids.get(i));
            }
            return jobs(s);
        }
    }

    private Job require(Connection c, String id) throws SQLException {
        return queryOne(c, "SELECT " + COLUMNS + " FROM worker_job WHERE id = ?", id)
                .orElseThrow(() -> new SQLException("job " + id + " vanished"));
    }

    private static Optional<Job> queryOne(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            List<Job> found = jobs(s);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    private static List<String> ids(PreparedStatement s) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private static Long sequenceNumber(ResultSet rs) throws SQLException {
        long number = rs.getLong("sequence_number");
        return rs.wasNull() ? null : number;
    }

    private static List<Job> jobs(PreparedStatement s) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                jobs.add(new Job(rs.getString("id"), rs.getLong("seq"), rs.getString("type"),
                        JobState.valueOf(rs.getString("state")), rs.getInt("priority"),
                        JobSource.valueOf(rs.getString("source")), rs.getString("payload"), rs.getString("result"),
                        rs.getString("error"), rs.getInt("progress"), rs.getString("checkpoint"), rs.getInt("attempts"),
                        rs.getInt("max_attempts"), rs.getString("idempotency_key"), rs.getString("message_id"),
                        rs.getString("correlation_id"), rs.getString("reply_to"), rs.getString("callback_url"),
                        rs.getString("owner"), instant(rs.getTimestamp("run_after")),
                        instant(rs.getTimestamp("enqueued_at")), instant(rs.getTimestamp("created_at")),
                        instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
                        instant(rs.getTimestamp("updated_at")), rs.getString("sequence_key"), sequenceNumber(rs)));
            }
        }
        return jobs;
    }
}
