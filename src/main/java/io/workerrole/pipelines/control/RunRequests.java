package io.workerrole.pipelines.control;

import io.workerrole.pipelines.entity.RunRequest;
import io.workerrole.platform.SharedJson;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Set;

/**
 * Reads a request to start a run: {@code {"payload": ..., "idempotencyKey": "..."}} posted to a
 * pipeline's runs, or the job message {@code {"pipeline": "NAME", "payload": ..., "idempotencyKey": "..."}}.
 */
public final class RunRequests {

    static final int MAX_KEY_LENGTH = 200;
    private static final Set<String> FIELDS = Set.of("pipeline", "payload", "idempotencyKey");

    private RunRequests() {
    }

    /** @return whether a job message is a request to start a run (it names a pipeline) rather than a job */
    public static boolean isRunRequest(JsonObject message) {
        return message.containsKey("pipeline");
    }

    /**
     * @param pipeline the pipeline's name from the URL, or null when the body names it
     * @throws InvalidPipelineException naming what is wrong
     */
    public static RunRequest parse(String body, String pipeline) {
        JsonValue value;
        try {
            value = SharedJson.readWhole(body.isBlank() ? "{}" : body);
        } catch (JsonException e) {
            throw new InvalidPipelineException("not JSON: " + e.getMessage(), e);
        }
        if (!(value instanceof JsonObject object)) {
            throw new InvalidPipelineException("a run's start is a JSON object {\"payload\": ..., \"idempotencyKey\": ...}");
        }
        return parse(object, pipeline);
    }

    /** As {@link #parse(String, String)}, for a body already read. */
    public static RunRequest parse(JsonObject object, String pipeline) {
        for (String field : object.keySet()) {
            if (!FIELDS.contains(field) || (pipeline != null && field.equals("pipeline"))) {
                throw new InvalidPipelineException("unknown field \"" + field + "\"; a run's start has "
                        + (pipeline == null ? FIELDS : Set.of("payload", "idempotencyKey")));
            }
        }
        String name = pipeline != null ? pipeline : text(object, "pipeline");
        if (name == null) {
            throw new InvalidPipelineException("\"pipeline\" must name the pipeline to run");
        }
        String key = text(object, "idempotencyKey");
        if (key != null && key.length() > MAX_KEY_LENGTH) {
            throw new InvalidPipelineException("idempotencyKey is longer than " + MAX_KEY_LENGTH + " characters");
        }
        JsonValue payload = object.getOrDefault("payload", JsonValue.NULL);
        return new RunRequest(name, payload.toString(), key);
    }

    private static String text(JsonObject object, String field) {
        JsonValue value = object.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString string && !string.getString().isBlank()) {
            return string.getString();
        }
        throw new InvalidPipelineException(field + " must be a non-blank string");
    }
}
