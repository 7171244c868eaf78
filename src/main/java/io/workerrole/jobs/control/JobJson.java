package io.workerrole.jobs.control;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.LogLine;
import io.workerrole.jobs.entity.Transition;
import io.workerrole.platform.SharedJson;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.List;

import static io.workerrole.platform.SharedJson.JSON;

/** The JSON that clients see of a job: the status API's view, and the reply/callback body. */
public final class JobJson {

    private JobJson() {
    }

    /** The full view, as {@code GET /api/jobs/{id}} shows it (with history when given). */
    public static JsonObject view(Job job, List<Transition> history) {
        return view(job, history, null);
    }

    /**
     * The full view, as {@code GET /api/jobs/{id}} shows it (with history when given).
     *
     * @param waiting why the job waits ({@link WaitingReasons}), or null
     */
    public static JsonObject view(Job job, List<Transition> history, String waiting) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", job.id())
                .add("type", job.type())
                .add("state", job.state().name())
                .add("priority", job.priority())
                .add("source", job.source().name())
                .add("payload", SharedJson.readStored(job.payload()))
                .add("progress", job.progress())
                .add("attempts", job.attempts())
                .add("maxAttempts", job.maxAttempts());
        addIfPresent(json, "result", job.result() == null ? null : SharedJson.readStored(job.result()));
        addIfPresent(json, "error", job.error());
        addIfPresent(json, "checkpoint", job.checkpoint() == null ? null : SharedJson.readStored(job.checkpoint()));
        addIfPresent(json, "idempotencyKey", job.idempotencyKey());
        if (job.sequenceKey() != null) {
            json.add("sequence", JSON.createObjectBuilder().add("key", job.sequenceKey()).add("number", job.sequenceNumber()));
        }
        addIfPresent(json, "mutex", job.mutexKey());
        addIfPresent(json, "correlationId", job.correlationId());
        addIfPresent(json, "callbackUrl", job.callbackUrl());
        addIfPresent(json, "owner", job.owner());
        addTime(json, "enqueuedAt", job.enqueuedAt());
        addTime(json, "createdAt", job.createdAt());
        addTime(json, "startedAt", job.startedAt());
        addTime(json, "finishedAt", job.finishedAt());
        if (job.state() == JobState.FAILED) {
            addTime(json, "nextAttemptAt", job.runAfter());
        }
        if (job.state() == JobState.SCHEDULED) {
            addTime(json, "runAt", job.runAfter());
        }
        addIfPresent(json, "waiting", waiting);
        if (history != null) {
            json.add("history", JSON.createArrayBuilder(history.stream().map(JobJson::transition).toList()));
        }
        return json.build();
    }

    /** The outcome message: what a reply message and a callback carry. */
    public static JsonObject outcome(Job job, JobState state, String result, String error) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("jobId", job.id())
                .add("type", job.type())
                .add("state", state.name())
                .add("attempts", job.attempts());
        addIfPresent(json, "correlationId", job.correlationId());
        addIfPresent(json, "idempotencyKey", job.idempotencyKey());
        if (state == JobState.SUCCEEDED) {
            json.add("result", SharedJson.readStored(result));
        } else {
            addIfPresent(json, "error", error);
        }
        return json.build();
    }

    /** A job's kept log lines, as {@code GET /api/jobs/{id}/log} shows them. */
    public static JsonObject log(String jobId, List<LogLine> lines, int kept) {
        return JSON.createObjectBuilder()
                .add("jobId", jobId)
                .add("keeps", kept)
                .add("lines", JSON.createArrayBuilder(lines.stream().map(line -> JSON.createObjectBuilder()
                        .add("at", line.at().toString())
                        .add("attempt", line.attempt())
                        .add("level", line.level())
                        .add("message", line.message())
                        .build()).toList()))
                .build();
    }

    private static JsonObject transition(Transition transition) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("state", transition.state().name())
                .add("at", transition.at().toString());
        addIfPresent(json, "detail", transition.detail());
        return json.build();
    }

    private static void addIfPresent(JsonObjectBuilder json, String name, Object value) {
        if (value instanceof JsonValue jsonValue) {
            json.add(name, jsonValue);
        } else if (value != null) {
            json.add(name, value.toString());
        }
    }

    private static void addTime(JsonObjectBuilder json, String name, Instant time) {
        if (time != null) {
            json.add(name, time.toString());
        }
    }
}
