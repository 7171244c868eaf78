package io.workerrole.jobs.entity;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The backlog, and its unfinished part by type.
 *
 * @param queues the queued jobs by type, the deepest queues first (as many as were asked for)
 * @param types  every type with unfinished jobs (queued, delayed or running), with its figures
 */
public record BacklogByType(Backlog totals, List<QueueDepth> queues, Map<String, QueueFigures> types) {

    public BacklogByType {
        queues = List.copyOf(queues);
        types = Map.copyOf(types);
    }

    /** @return the figures of this type ({@link QueueFigures#NONE} for a type without unfinished jobs) */
    public QueueFigures of(String type) {
        return types.getOrDefault(type, QueueFigures.NONE);
    }

    /** @return the figures of these types together, as for the types of one role */
    public QueueFigures of(Collection<String> types) {
        return types.stream().map(this::of).reduce(QueueFigures.NONE, QueueFigures::plus);
    }
}
