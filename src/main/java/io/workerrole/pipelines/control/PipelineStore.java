package io.workerrole.pipelines.control;

import io.workerrole.api.JobState;
import io.workerrole.api.Pipeline;
import io.workerrole.api.PipelineRunState;
import io.workerrole.pipelines.entity.PipelineRun;
import io.workerrole.pipelines.entity.StepJob;
import io.workerrole.platform.Database;
import io.workerrole.platform.PagedQuery;
import io.workerrole.platform.StoreException;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static io.workerrole.platform.Database.instant;
import static io.workerrole.platform.Database.truncate;
import static io.workerrole.platform.Database.ts;
import static io.workerrole.platform.SharedJson.JSON;

/**
 * The pipelines' tables: the pipelines posted as JSON, the runs, and the jobs each run started.
 * Methods on a connection of the caller's throw SQLException (the caller's transaction decides);
 * the others run on their own and throw {@link StoreException}, as the jobs' stores do.
 * The runs' changes happen inside the {@link PipelineConductor}'s transactions, on the
 * connection it passes; each starts with {@link #lockActive}, which holds the run's row until
 * the transaction ends.
 */
public class PipelineStore {

    static final int MAX_ERROR_LENGTH = 4000;
    /** The longest step name failed_step keeps: a pipeline stored before that bound was checked may have a longer one. */
    static final int MAX_STEP_NAME_LENGTH = 100;
    /** Jobs read per statement (a fanned-out step has up to RunProgress.MAX_FAN_OUT). */
    private static final int JOBS_PER_READ = 200;
    private static final String ACTIVE = "state IN ('RUNNING', 'COMPENSATING')";
    private static final String RUN_COLUMNS = "id, seq, pipeline, definition, state, step, attempt, payload, result, error, failed_step, "
            + "idempotency_key, undo_list, undo_next, step_deadline, cancel_requested_at, checked_at, created_at, updated_at, finished_at";

    /** The most parsed definitions kept; see {@link #storedDefinition}. */
    private static final int MAX_PARSED_DEFINITIONS = 256;

    private final Database database;
    private final Map<String, Pipeline> parsedDefinitions = new ConcurrentHashMap<>();

    /** For CDI proxies. */
    protected PipelineStore() {
        this(null);
    }

    public PipelineStore(Database database) {
        this.database = database;
    }

    public Database database() {
        return database;
    }

    private <T> T read(String what, Database.ConnectionWork<T> work) {
        try {
            return database.withConnection(work);
        } catch (SQLException e) {
            throw new StoreException("Could not " + what, e);
        }
    }

    private <T> T write(String what, Database.TxWork<T> work) {
        try {
            return database.inTransaction(work);
        } catch (SQLException e) {
            throw new StoreException("Could not " + what, e);
        }
    }

    // --- runs -------------------------------------------------------------------------------

    /** Records a new RUNNING run at its first step; its idempotency key, if any, unique within its scope (its caller's). */
    public void insertRun(Connection c, String id, Pipeline definition, String payload, String idempotencyScope, String idempotencyKey,
                          Instant stepDeadline, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO worker_pipeline_run (id, pipeline, definition, state, step, attempt, "
                + "payload, idempotency_key, step_deadline, checked_at, created_at, updated_at, idempotency_scope) "
                + "VALUES (?, ?, ?, 'RUNNING', 0, 0, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, definition.name());
            s.setString(3, PipelineDefinitions.toJson(definition).toString());
            s.setString(4, payload);
            s.setString(5, idempotencyKey);
            s.setTimestamp(6, ts(stepDeadline));
            s.setTimestamp(7, ts(now));
            s.setTimestamp(8, ts(now));
            s.setTimestamp(9, ts(now));
            s.setString(10, idempotencyKey == null ? null : idempotencyScope);
            s.executeUpdate();
        }
    }

    /**
     * Takes the row lock of a run under way (RUNNING or COMPENSATING), marking it checked, and
     * reads it: other transactions that would change it wait until this one ends.
     *
     * @return the run, or empty if it has ended (or there is none)
     */
    public Optional<PipelineRun> lockActive(Connection c, String id, Instant now) throws SQLException {
        // By the primary key alone, the state checked after: offered the (state, checked_at)
        // index too, a database may read the run through it, locking other runs on the way.
        try (PreparedStatement s = c.prepareStatement("UPDATE worker_pipeline_run SET checked_at = ? WHERE id = ?")) {
            s.setTimestamp(1, ts(now));
            s.setString(2, id);
            if (s.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        return find(c, id).filter(run -> !run.state().isFinal());
    }

    public Optional<PipelineRun> find(String id) {
        return read("read pipeline run " + id + "", c -> find(c, id));
    }

    public Optional<PipelineRun> find(Connection c, String id) throws SQLException {
        return run(c, "SELECT " + RUN_COLUMNS + " FROM worker_pipeline_run WHERE id = ?", id);
    }

    /** @return the run with this idempotency key in this scope (of this caller), if any */
    public Optional<PipelineRun> byIdempotencyKey(String scope, String key) {
        return read("read the pipeline run with idempotency key " + key, c -> byIdempotencyKey(c, scope, key));
    }

    public Optional<PipelineRun> byIdempotencyKey(Connection c, String scope, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + RUN_COLUMNS
                + " FROM worker_pipeline_run WHERE idempotency_key = ? AND idempotency_scope = ?")) {
            s.setString(1, key);
            s.setString(2, scope);
            return runs(s).stream().findFirst();
        }
    }

    /** @return a page of runs, newest first, of one pipeline and in one state where they are given */
    public List<PipelineRun> list(String pipeline, PipelineRunState state, int limit, Long beforeSeq) {
        try {
            return new PagedQuery("SELECT " + RUN_COLUMNS + " FROM worker_pipeline_run")
                    .where("pipeline", pipeline)
                    .where("state", state == null ? null : state.name())
                    .page(database, limit, beforeSeq, this::runs);
        } catch (SQLException e) {
            throw new StoreException("Could not list pipeline runs", e);
        }
    }

    /**
     * @return the ids of the runs under way that the supervisor looks at now: those whose step is
     *         past its deadline, and those not looked at since {@code checkedBefore}, longest first
     */
    public List<String> due(Instant now, Instant checkedBefore, int limit) {
        return read("read the pipeline runs due", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM worker_pipeline_run WHERE " + ACTIVE
                    + " AND ((state = 'RUNNING' AND step_deadline < ?) OR checked_at < ?) ORDER BY checked_at FETCH FIRST " + limit + " ROWS ONLY")) {
                s.setTimestamp(1, ts(now));
                s.setTimestamp(2, ts(checkedBefore));
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    /** @return runs under way that have not moved since {@code before}, longest still first */
    public List<PipelineRun> stuck(Instant before, int limit) {
        return read("read the stuck pipeline runs", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM worker_pipeline_run WHERE " + ACTIVE
                    + " AND updated_at < ? ORDER BY updated_at FETCH FIRST " + limit + " ROWS ONLY")) {
                s.setTimestamp(1, ts(before));
                return runs(s);
            }
        });
    }

    /** The run goes on at this step (or starts it again): its deadline counts from now. */
    public void startedStep(Connection c, String id, int step, int attempt, Instant deadline, Instant now) throws SQLException {
        update(c, "step = ?, attempt = ?, step_deadline = ?", id, now, s -> {
            s.setInt(1, step);
            s.setInt(2, attempt);
            s.setTimestamp(3, ts(deadline));
            return 4;
        });
    }

    public void succeeded(Connection c, String id, String result, Instant now) throws SQLException {
        update(c, "state = 'SUCCEEDED', result = ?, finished_at = ?", id, now, s -> {
            s.setString(1, result);
            s.setTimestamp(2, ts(now));
            return 3;
        });
    }

    /** The run starts to unwind: COMPENSATING, with the reason. */
    public void unwinding(Connection c, String id, String error, String failedStep, Instant now) throws SQLException {
        update(c, "state = 'COMPENSATING', error = ?, failed_step = ?", id, now, s -> {
            s.setString(1, truncate(error, MAX_ERROR_LENGTH));
            s.setString(2, truncate(failedStep, MAX_STEP_NAME_LENGTH));
            return 3;
        });
    }

    /** The compensation at this index of the undo list starts. */
    public void compensating(Connection c, String id, List<String> undoList, int index, Instant now) throws SQLException {
        update(c, "undo_list = ?, undo_next = ?", id, now, s -> {
            s.setString(1, JSON.createArrayBuilder(undoList).build().toString());
            s.setInt(2, index);
            return 3;
        });
    }

    /** The run ends unwound; an error or failed step given replaces the one it had. */
    public void ended(Connection c, String id, PipelineRunState state, String error, String failedStep, Instant now) throws SQLException {
        update(c, "state = ?, error = COALESCE(?, error), failed_step = COALESCE(?, failed_step), finished_at = ?", id, now, s -> {
            s.setString(1, state.name());
            s.setString(2, truncate(error, MAX_ERROR_LENGTH));
            s.setString(3, truncate(failedStep, MAX_STEP_NAME_LENGTH));
            s.setTimestamp(4, ts(now));
            return 5;
        });
    }

    /** @return false unless the run is RUNNING and had no cancel request */
    public boolean requestCancel(String id, Instant now) {
        return write("ask pipeline run " + id + " to cancel", tx -> {
            try (PreparedStatement s = tx.connection().prepareStatement("UPDATE worker_pipeline_run SET cancel_requested_at = ?, updated_at = ? "
                    + "WHERE id = ? AND state = 'RUNNING' AND cancel_requested_at IS NULL")) {
                s.setTimestamp(1, ts(now));
                s.setTimestamp(2, ts(now));
                s.setString(3, id);
                boolean requested = s.executeUpdate() == 1;
                tx.commit();
                return requested;
            }
        });
    }

    @FunctionalInterface
    private interface Binder {
        int bind(PreparedStatement statement) throws SQLException;
    }

    private static void update(Connection c, String set, String id, Instant now, Binder binder) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE worker_pipeline_run SET " + set + ", updated_at = ? WHERE id = ?")) {
            int index = binder.bind(s);
            s.setTimestamp(index++, ts(now));
            s.setString(index, id);
            if (s.executeUpdate() != 1) {
                throw new SQLException("pipeline run " + id + " vanished");
            }
        }
    }

    private Optional<PipelineRun> run(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            List<PipelineRun> found = runs(s);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    private List<PipelineRun> runs(PreparedStatement s) throws SQLException {
        List<PipelineRun> runs = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                runs.add(new PipelineRun(id, rs.getLong(2), storedDefinition(id, rs.getString(3), rs.getString(4)),
                        PipelineRunState.valueOf(rs.getString(5)), rs.getInt(6), rs.getInt(7), rs.getString(8), rs.getString(9),
                        rs.getString(10), rs.getString(11), rs.getString(12), undoList(rs.getString(13)), rs.getInt(14),
                        instant(rs.getTimestamp(15)), instant(rs.getTimestamp(16)), instant(rs.getTimestamp(17)),
                        instant(rs.getTimestamp(18)), instant(rs.getTimestamp(19)), instant(rs.getTimestamp(20))));
            }
        }
        return runs;
    }

    /**
     * @return the definition a run started with, parsed once per text: every move reads its run,
     *         and a run's definition never changes (its name is a column of its own)
     */
    private Pipeline storedDefinition(String runId, String pipeline, String json) throws SQLException {
        Pipeline parsed = parsedDefinitions.get(json);
        if (parsed != null) {
            return parsed;
        }
        try {
            parsed = PipelineDefinitions.parse(pipeline, json);
        } catch (InvalidPipelineException e) {
            throw new SQLException("pipeline run " + runId + " holds a definition that cannot be read: " + e.getMessage(), e);
        }
        if (parsedDefinitions.size() >= MAX_PARSED_DEFINITIONS) {
            parsedDefinitions.clear(); // more versions than a worker keeps alive at once: start afresh
        }
        parsedDefinitions.put(json, parsed);
        return parsed;
    }

    private static List<String> undoList(String json) {
        if (json == null) {
            return null;
        }
        try (var reader = JSON.createReader(new StringReader(json))) {
            JsonArray ids = reader.readArray();
            return ids.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        }
    }

    /**
     * Deletes runs that ended before the cutoffs (with their links to their jobs; the jobs go
     * with the jobs' own retention), a batch at a time.
     *
     * @param failedBefore the cutoff for COMPENSATION_FAILED runs, kept as long as dead jobs
     * @return how many runs it deleted
     */
    public int deleteEnded(Instant endedBefore, Instant failedBefore, int limit) {
        return write("delete ended pipeline runs", tx -> {
            Connection c = tx.connection();
            List<String> ids = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, state, finished_at FROM worker_pipeline_run WHERE finished_at < ? "
                    + "ORDER BY finished_at FETCH FIRST " + limit + " ROWS ONLY")) {
                s.setTimestamp(1, ts(endedBefore.isBefore(failedBefore) ? failedBefore : endedBefore));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        boolean failed = PipelineRunState.valueOf(rs.getString(2)) == PipelineRunState.COMPENSATION_FAILED;
                        if (instant(rs.getTimestamp(3)).isBefore(failed ? failedBefore : endedBefore)) {
                            ids.add(rs.getString(1));
                        }
                    }
                }
            }
            try (PreparedStatement jobs = c.prepareStatement("DELETE FROM worker_pipeline_job WHERE run_id = ?");
                 PreparedStatement runs = c.prepareStatement("DELETE FROM worker_pipeline_run WHERE id = ?")) {
                for (String id : ids) {
                    jobs.setString(1, id);
                    jobs.addBatch();
                    runs.setString(1, id);
                    runs.addBatch();
                }
                if (!ids.isEmpty()) {
                    jobs.executeBatch();
                    runs.executeBatch();
                }
            }
            tx.commit();
            return ids.size();
        });
    }

    // --- the runs' jobs ---------------------------------------------------------------------

    /** Records that the run started the job, as a branch of a step or as the compensation of one of its jobs. */
    public void linkJob(Connection c, String jobId, String runId, int step, int branch, int attempt, String undoes) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO worker_pipeline_job (job_id, run_id, step, branch, attempt, undoes) "
                + "VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, jobId);
            s.setString(2, runId);
            s.setInt(3, step);
            s.setInt(4, branch);
            s.setInt(5, attempt);
            s.setString(6, undoes);
            s.executeUpdate();
        }
    }

    /**
     * @return the jobs the run started, in the order it started them. Two look-ups, each by an
     *         index (the run's links, then its jobs by id), rather than a join: Derby, without
     *         statistics, may read a join through a scan of the jobs, which waits on the rows that
     *         other transactions are inserting.
     */
    public List<StepJob> stepJobs(Connection c, String runId) throws SQLException {
        List<Link> links = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT job_id, step, branch, attempt, undoes FROM worker_pipeline_job "
                + "WHERE run_id = ? ORDER BY step, attempt, branch")) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    links.add(new Link(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getString(5)));
                }
            }
        }
        Map<String, JobFacts> facts = new HashMap<>();
        for (int from = 0; from < links.size(); from += JOBS_PER_READ) {
            List<Link> part = links.subList(from, Math.min(links.size(), from + JOBS_PER_READ));
            try (PreparedStatement s = c.prepareStatement("SELECT id, state, attempts, payload, result, error, started_at, finished_at "
                    + "FROM worker_job WHERE id IN (" + String.join(", ", Collections.nCopies(part.size(), "?")) + ")")) {
                for (int i = 0; i < part.size(); i++) {
                    s.setString(i + 1, part.get(i).jobId());
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        facts.put(rs.getString(1), new JobFacts(JobState.valueOf(rs.getString(2)), rs.getInt(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8))));
                    }
                }
            }
        }
        List<StepJob> jobs = new ArrayList<>(links.size());
        for (Link link : links) {
            JobFacts job = facts.get(link.jobId());
            if (job != null) { // null: pruned by the jobs' retention
                jobs.add(new StepJob(link.jobId(), link.step(), link.branch(), link.attempt(), link.undoes(), job.state(), job.attempts(),
                        job.payload(), job.result(), job.error(), job.startedAt(), job.finishedAt()));
            }
        }
        return jobs;
    }

    /** A row of worker_pipeline_job. */
    private record Link(String jobId, int step, int branch, int attempt, String undoes) {
    }

    /** What a run needs of one of its jobs. */
    private record JobFacts(JobState state, int attempts, String payload, String result, String error, Instant startedAt,
                            Instant finishedAt) {
    }

    public List<StepJob> stepJobs(String runId) {
        return read("read the jobs of pipeline run " + runId + "", c -> stepJobs(c, runId));
    }

    /** @return the run that started the job, if a run did */
    public Optional<String> runOf(String jobId) {
        return read("read the pipeline run of job " + jobId + "", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT run_id FROM worker_pipeline_job WHERE job_id = ?")) {
                s.setString(1, jobId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    // --- pipelines posted as JSON -----------------------------------------------------------

    /** How a {@link #putDefinition} went. */
    public enum Put { CREATED, REPLACED }

    public Put putDefinition(Pipeline pipeline, Instant now) {
        String json = PipelineDefinitions.toJson(pipeline).toString();
        return write("store pipeline " + pipeline.name() + "", tx -> {
            Connection c = tx.connection();
            Put put;
            try (PreparedStatement s = c.prepareStatement("UPDATE worker_pipeline SET definition = ?, updated_at = ? WHERE name = ?")) {
                s.setString(1, json);
                s.setTimestamp(2, ts(now));
                s.setString(3, pipeline.name());
                put = s.executeUpdate() == 1 ? Put.REPLACED : Put.CREATED;
            }
            if (put == Put.CREATED) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO worker_pipeline (name, definition, updated_at) VALUES (?, ?, ?)")) {
                    s.setString(1, pipeline.name());
                    s.setString(2, json);
                    s.setTimestamp(3, ts(now));
                    s.executeUpdate();
                }
            }
            tx.commit();
            return put;
        });
    }

    public Optional<Pipeline> definition(String name) {
        return read("read pipeline " + name + "", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT definition FROM worker_pipeline WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(PipelineDefinitions.parse(name, rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** @return the pipelines posted as JSON, by name */
    public List<Pipeline> definitions() {
        return read("read the pipelines", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT name, definition FROM worker_pipeline ORDER BY name")) {
                List<Pipeline> pipelines = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        pipelines.add(PipelineDefinitions.parse(rs.getString(1), rs.getString(2)));
                    }
                }
                return pipelines;
            }
        });
    }

    public boolean deleteDefinition(String name) {
        return write("delete pipeline " + name + "", tx -> {
            try (PreparedStatement s = tx.connection().prepareStatement("DELETE FROM worker_pipeline WHERE name = ?")) {
                s.setString(1, name);
                boolean deleted = s.executeUpdate() == 1;
                tx.commit();
                return deleted;
            }
        });
    }
}
