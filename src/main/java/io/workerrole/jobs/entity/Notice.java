package io.workerrole.jobs.entity;

import java.time.Instant;

/**
 * A notice a finished job still owes, as claimed for sending.
 *
 * @param attempts how many times sending it has failed so far
 * @param claim the due time its sender set when it took it: later changes to the notice hold
 *        only while it is still this (another server may take a notice whose claim lapsed)
 */
public record Notice(String jobId, NoticeChannel channel, int attempts, Instant claim) {
}
