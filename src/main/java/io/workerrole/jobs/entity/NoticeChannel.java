package io.workerrole.jobs.entity;

import io.workerrole.api.JobState;

import java.util.ArrayList;
import java.util.List;

/** A way a finished job is reported to whoever sent it. */
public enum NoticeChannel {

    /** A reply message with the outcome to the job's replyTo, with its correlation id. */
    REPLY,
    /** An HTTP POST of the outcome to the job's callbackUrl. */
    CALLBACK,
    /**
     * A copy of a job that came as a message and died, to the dead-letter queue. (A message
     * that is rejected outright is copied there by its listener, as it is taken in.)
     */
    DEAD_LETTER,
    /**
     * To the pipeline run that started the job, which goes on from it (its next step, or a
     * compensation). Owed as the job's end is recorded, so that a server dying right after does
     * not leave the run waiting: the notice is sent again, by any server.
     */
    PIPELINE;

    /** @return what the job owes, having ended in this state (nothing unless SUCCEEDED, DEAD or REJECTED; a pipeline's jobs also when CANCELLED) */
    public static List<NoticeChannel> owedBy(Job job, JobState state) {
        List<NoticeChannel> owed = new ArrayList<>(3);
        if (job.source() == JobSource.PIPELINE && state.isFinal()) {
            owed.add(PIPELINE);
        }
        if (state != JobState.SUCCEEDED && state != JobState.DEAD && state != JobState.REJECTED) {
            return owed;
        }
        if (job.replyTo() != null) {
            owed.add(REPLY);
        }
        if (job.callbackUrl() != null) {
            owed.add(CALLBACK);
        }
        if (state == JobState.DEAD && job.source() == JobSource.JMS) {
            owed.add(DEAD_LETTER);
        }
        return owed;
    }
}
