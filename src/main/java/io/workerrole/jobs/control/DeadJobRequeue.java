package io.workerrole.jobs.control;

import io.workerrole.jobs.control.dispatch.JobDispatcher;
import io.workerrole.jobs.control.intake.DeadLetters;
import io.workerrole.jobs.control.store.JobRequeues;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSRuntimeException;

import javax.naming.NamingException;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An admin's requeue: dead (or cancelled) jobs go back to the queue for a fresh set of attempts,
 * and their copies in the dead-letter queue, stale from then on, are removed, so that
 * {@code worker.dead} holds only what is dead now. A job that dies again is copied again.
 */
@ApplicationScoped
public class DeadJobRequeue {

    private static final Logger LOG = Logger.getLogger(DeadJobRequeue.class.getName());

    @Inject
    JobRequeues requeues;

    @Inject
    DeadLetters deadLetters;

    @Inject
    JobDispatcher dispatcher;

    /**
     * @return the job, QUEUED, or empty if there is no such job
     * @throws IllegalStateException if the job is neither DEAD nor CANCELLED
     */
    public Optional<Job> requeue(String id) {
        Optional<Job> job = requeues.requeue(id);
        job.ifPresent(j -> requeued(List.of(j.id())));
        return job;
    }

    /**
     * Requeues in batches, each batch's dead letters removed after it, so that neither the
     * transaction nor the selector grows with the number of dead jobs.
     *
     * @return how many DEAD jobs the filter takes (its state aside) were requeued
     */
    public int requeueDead(JobFilter filter) {
        return requeues.requeueDead(filter, this::requeued);
    }

    private void requeued(List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        dispatcher.wake();
        try {
            int removed = deadLetters.discard(ids);
            LOG.info(() -> "Requeued " + ids.size() + " job(s); removed " + removed + " dead letter(s) of theirs");
        } catch (JMSRuntimeException | NamingException e) {
            // The jobs run again either way; only the stale copies stay behind.
            LOG.log(Level.WARNING, "Requeued " + ids.size() + " job(s) but could not remove their dead letters", e);
        }
    }
}
