package io.workerrole.pipelines.control;

import io.workerrole.api.Pipeline;
import io.workerrole.api.PipelineStep;
import io.workerrole.platform.SharedJson;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * A pipeline as JSON, the way it is posted and stored:
 * <pre>{@code
 * {"steps": [
 *   {"type": "reserve", "compensation": "release"},
 *   {"type": "charge", "compensation": "refund", "deadline": "PT5M", "deadlineRetries": 1},
 *   {"type": "ship", "fanOut": false, "priority": 6, "name": "ship"}
 * ]}
 * }</pre>
 * Every field but a step's {@code type} is optional; an unknown field is refused (a typo must
 * not silently drop a compensation).
 */
public final class PipelineDefinitions {

    private static final Set<String> PIPELINE_FIELDS = Set.of("name", "steps");
    private static final Set<String> STEP_FIELDS = Set.of("name", "type", "compensation", "fanOut", "deadline", "deadlineRetries", "priority");

    private PipelineDefinitions() {
    }

    /**
     * @param name the pipeline's name (from the URL); a "name" in the JSON must be the same
     * @throws InvalidPipelineException naming the field that is wrong
     */
    public static Pipeline parse(String name, String json) {
        JsonObject object = object(json);
        unknownFields(object, PIPELINE_FIELDS, "a pipeline");
        if (object.containsKey("name") && !JsonValue.NULL.equals(object.get("name"))
                && !(object.get("name") instanceof JsonString named && named.getString().equals(name))) {
            throw new InvalidPipelineException("the pipeline's \"name\" is not \"" + name + "\", its name in the URL");
        }
        if (!(object.get("steps") instanceof JsonArray steps)) {
            throw new InvalidPipelineException("\"steps\" is required: an array of steps, each {\"type\": ...}");
        }
        List<PipelineStep> parsed = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            if (!(steps.get(i) instanceof JsonObject step)) {
                throw new InvalidPipelineException("steps[" + i + "] is not an object");
            }
            parsed.add(step(step, "steps[" + i + "]"));
        }
        try {
            return new Pipeline(name, parsed);
        } catch (IllegalArgumentException e) {
            throw new InvalidPipelineException(e.getMessage(), e);
        }
    }

    private static JsonObject object(String json) {
        try {
            JsonValue value = SharedJson.readWhole(json);
            if (value instanceof JsonObject object) {
                return object;
            }
            throw new InvalidPipelineException("a pipeline is a JSON object {\"steps\": [...]}");
        } catch (JsonException e) {
            throw new InvalidPipelineException("not JSON: " + e.getMessage(), e);
        }
    }

    private static void unknownFields(JsonObject object, Set<String> known, String what) {
        for (String field : object.keySet()) {
            if (!known.contains(field)) {
                throw new InvalidPipelineException("unknown field \"" + field + "\" in " + what + "; the fields are " + known);
            }
        }
    }

    private static PipelineStep step(JsonObject step, String where) {
        unknownFields(step, STEP_FIELDS, where);
        String type = text(step, "type", where);
        if (type == null) {
            throw new InvalidPipelineException(where + ".type is required: the job type that does the step");
        }
        try {
            return new PipelineStep(text(step, "name", where), type, text(step, "compensation", where),
                    flag(step, "fanOut", where), duration(step, "deadline", where),
                    number(step, "deadlineRetries", where, 0), number(step, "priority", where, PipelineStep.DEFAULT_PRIORITY));
        } catch (IllegalArgumentException e) {
            throw new InvalidPipelineException(where + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonObject step, String field, String where) {
        JsonValue value = step.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString string && !string.getString().isBlank()) {
            return string.getString();
        }
        throw new InvalidPipelineException(where + "." + field + " must be a non-blank string");
    }

    private static boolean flag(JsonObject step, String field, String where) {
        JsonValue value = step.get(field);
        if (value == null || value == JsonValue.NULL || value == JsonValue.FALSE) {
            return false;
        }
        if (value == JsonValue.TRUE) {
            return true;
        }
        throw new InvalidPipelineException(where + "." + field + " must be true or false");
    }

    private static Duration duration(JsonObject step, String field, String where) {
        String text = text(step, field, where);
        try {
            return text == null ? null : Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidPipelineException(where + "." + field + " must be an ISO-8601 duration such as PT5M, not \"" + text + "\"", e);
        }
    }

    private static int number(JsonObject step, String field, String where, int fallback) {
        JsonValue value = step.get(field);
        if (value == null || value == JsonValue.NULL) {
            return fallback;
        }
        if (value instanceof JsonNumber number && number.isIntegral() && number.bigDecimalValue().abs().intValue() < 1000) {
            return number.intValue();
        }
        throw new InvalidPipelineException(where + "." + field + " must be a whole number");
    }

    /** @return the pipeline as JSON, as {@link #parse} reads it */
    public static JsonObject toJson(Pipeline pipeline) {
        JsonArrayBuilder steps = JSON.createArrayBuilder();
        for (PipelineStep step : pipeline.steps()) {
            JsonObjectBuilder json = JSON.createObjectBuilder().add("name", step.name()).add("type", step.type());
            if (step.compensation() != null) {
                json.add("compensation", step.compensation());
            }
            json.add("fanOut", step.fanOut());
            if (step.deadline() != null) {
                json.add("deadline", step.deadline().toString());
            }
            json.add("deadlineRetries", step.deadlineRetries()).add("priority", step.priority());
            steps.add(json);
        }
        return JSON.createObjectBuilder().add("name", pipeline.name()).add("steps", steps).build();
    }
}
