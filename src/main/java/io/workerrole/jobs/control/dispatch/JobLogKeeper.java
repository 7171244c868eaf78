package io.workerrole.jobs.control.dispatch;

import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.control.store.JobLogs;
import io.workerrole.jobs.entity.LogLine;
import io.workerrole.platform.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps with each job the last lines its handler logged ({@code worker.jobs.logLines}): they
 * are written to the job store when an attempt ends, before its outcome, and while a long job
 * runs at each lease renewal, so another server shows them at most a third of a lease late.
 * A job that logs nothing costs nothing here. Every line is in the server's log as well, so a
 * write that fails loses nothing an admin cannot find: the lines are tried again at the next
 * write, and given up with the attempt.
 */
@ApplicationScoped
public class JobLogKeeper {

    private static final Logger LOG = Logger.getLogger(JobLogKeeper.class.getName());

    @Inject
    JobLogs logs;

    @Inject
    JobSettings settings;

    @Inject
    JobDispatcher dispatcher;

    /** Writes the lines the job logged since they were last written. */
    void write(RunningJob job) {
        // One write at a time per job: the runner's, before the outcome, waits for a lease
        // renewal's that took the lines first, so the outcome is never committed before them.
        synchronized (job) {
            List<LogLine> lines = job.takeLogLines();
            if (lines.isEmpty()) {
                return;
            }
            try {
                logs.append(job.jobId(), lines, settings.logLines());
            } catch (StoreException e) {
                job.unwrittenLogLines(lines);
                LOG.log(Level.WARNING, "[job " + job.jobId() + " " + job.type() + "] could not keep " + lines.size()
                        + " log line(s) with the job; they are in this server's log", e);
            }
        }
    }

    /** Writes the new lines of every job running on this server. */
    void writeRunning() {
        dispatcher.runningJobs().forEach(this::write);
    }

    /**
     * @return the job's kept lines, oldest first, with those not yet written if it runs on this
     *         server (of a job running on another server, those that server has written)
     */
    public List<LogLine> lines(String jobId) {
        List<LogLine> lines = new ArrayList<>(logs.read(jobId));
        // Read after the store: a line written meanwhile is missed this once, never shown twice.
        dispatcher.running(jobId).ifPresent(job -> lines.addAll(job.pendingLogLines()));
        int keep = settings.logLines();
        return lines.size() <= keep ? lines : lines.subList(lines.size() - keep, lines.size());
    }
}
