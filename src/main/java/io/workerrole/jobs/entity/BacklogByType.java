package io.workerrole.jobs.entity;

import java.util.List;

/**
 * The backlog, and the queued part of it by type.
 *
 * @param queues the queued jobs by type, the deepest queues first
 */
public record BacklogByType(Backlog totals, List<QueueDepth> queues) {

    public BacklogByType {
        queues = List.copyOf(queues);
    }
}
