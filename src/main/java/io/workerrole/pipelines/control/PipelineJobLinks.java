package io.workerrole.pipelines.control;

import io.workerrole.api.JobState;
import io.workerrole.pipelines.entity.StepJob;
import io.workerrole.platform.Database;
import io.workerrole.platform.Jdbc;
import io.workerrole.platform.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.workerrole.platform.Database.instant;

/**
 * The jobs each pipeline run started ({@code worker_pipeline_job}): a link per job, written in
 * the transaction that starts the job and moves the run, on the connection the
 * {@link PipelineConductor} passes; deleted with its run ({@link PipelineRunStore#deleteEnded}).
 * The jobs themselves go with the jobs' own retention.
 */
public class PipelineJobLinks {

    /** Jobs read per statement (a fanned-out step has up to RunProgress.MAX_FAN_OUT). */
    private static final int JOBS_PER_READ = 200;
    private static final String COLUMNS = "job_id, step, branch, attempt, undoes";

    private final Database database;

    /** For CDI proxies. */
    protected PipelineJobLinks() {
        this(null);
    }

    public PipelineJobLinks(Database database) {
        this.database = database;
    }

    /** Records that the run started the job, as a branch of a step or as the compensation of one of its jobs. */
    public void linkJob(Connection c, String jobId, String runId, int step, int branch, int attempt, String undoes) throws SQLException {
        Jdbc.update(c, "INSERT INTO worker_pipeline_job (run_id, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", s -> {
            s.setString(1, runId);
            s.setString(2, jobId);
            s.setInt(3, step);
            s.setInt(4, branch);
            s.setInt(5, attempt);
            s.setString(6, undoes);
        });
    }

    /**
     * @return the jobs the run started, in the order it started them. Two look-ups, each by an
     *         index (the run's links, then its jobs by id), rather than a join: Derby, without
     *         statistics, may read a join through a scan of the jobs, which waits on the rows that
     *         other transactions are inserting.
     */
    public List<StepJob> stepJobs(Connection c, String runId) throws SQLException {
        List<Link> links = links(c, runId);
        Map<String, JobFacts> facts = new HashMap<>();
        for (int from = 0; from < links.size(); from += JOBS_PER_READ) {
            facts.putAll(jobFacts(c, links.subList(from, Math.min(links.size(), from + JOBS_PER_READ))));
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

    public List<StepJob> stepJobs(String runId) {
        try {
            return database.withConnection(c -> stepJobs(c, runId));
        } catch (SQLException e) {
            throw new StoreException("Could not read the jobs of pipeline run " + runId, e);
        }
    }

    /** @return the run that started the job, if a run did */
    public Optional<String> runOf(String jobId) {
        try {
            return database.withConnection(c -> Jdbc.queryOne(c, "SELECT run_id FROM worker_pipeline_job WHERE job_id = ?",
                    s -> s.setString(1, jobId), rs -> rs.getString(1)));
        } catch (SQLException e) {
            throw new StoreException("Could not read the pipeline run of job " + jobId, e);
        }
    }

    /** Deletes the links of these runs, in the caller's transaction (the one that deletes the runs). */
    public void deleteOfRuns(Connection c, List<String> runIds) throws SQLException {
        if (runIds.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM worker_pipeline_job WHERE run_id = ?")) {
            for (String id : runIds) {
                s.setString(1, id);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** The run's links, in the order it started the jobs. */
    private static List<Link> links(Connection c, String runId) throws SQLException {
        return Jdbc.query(c, "SELECT " + COLUMNS + " FROM worker_pipeline_job WHERE run_id = ? ORDER BY step, attempt, branch",
                s -> s.setString(1, runId), Link::of);
    }

    private static Map<String, JobFacts> jobFacts(Connection c, List<Link> part) throws SQLException {
        Map<String, JobFacts> facts = new HashMap<>();
        Jdbc.forEach(c, "SELECT id, state, attempts, payload, result, error, started_at, finished_at "
                + "FROM worker_job WHERE id IN (" + Jdbc.placeholders(part.size()) + ")", s -> {
            for (int i = 0; i < part.size(); i++) {
                s.setString(i + 1, part.get(i).jobId());
            }
        }, rs -> facts.put(rs.getString(1), new JobFacts(JobState.valueOf(rs.getString(2)), rs.getInt(3), rs.getString(4),
                rs.getString(5), rs.getString(6), instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)))));
        return facts;
    }

    /** A row of worker_pipeline_job. */
    private record Link(String jobId, int step, int branch, int attempt, String undoes) {

        /** The row mapper of a query of {@link PipelineJobLinks#COLUMNS}. */
        static Link of(ResultSet rs) throws SQLException {
            return new Link(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getString(5));
        }
    }

    /** What a run needs of one of its jobs. */
    private record JobFacts(JobState state, int attempts, String payload, String result, String error, Instant startedAt,
                            Instant finishedAt) {
    }
}
