package io.workerrole.scripts.control;

import io.workerrole.api.NonRetryableJobException;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;

/** The arguments of a triggered script's run: its job's payload, {@code {"args": ["...", ...]}}. */
public final class ScriptJobArguments {

    private ScriptJobArguments() {
    }

    /**
     * @return the payload's {@code "args"}; none for a null payload or one without them
     * @throws NonRetryableJobException if the payload is not an object, or {@code "args"} not an array of strings
     *         without NUL characters
     */
    public static List<String> of(JsonValue payload) {
        if (payload == null || payload.getValueType() == JsonValue.ValueType.NULL) {
            return List.of();
        }
        if (payload.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new NonRetryableJobException("a script's payload is an object, {\"args\": [\"...\"]}, not " + payload);
        }
        JsonValue args = payload.asJsonObject().get("args");
        if (args == null || args.getValueType() == JsonValue.ValueType.NULL) {
            return List.of();
        }
        if (args.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new NonRetryableJobException("\"args\" is an array of strings, not " + args);
        }
        List<String> arguments = new ArrayList<>();
        for (JsonValue arg : args.asJsonArray()) {
            if (!(arg instanceof JsonString text)) {
                throw new NonRetryableJobException("\"args\" is an array of strings; " + arg + " is not a string");
            }
            // No operating system passes a NUL in an argument: ProcessBuilder would fail every attempt.
            if (text.getString().indexOf('\u0000') >= 0) {
                throw new NonRetryableJobException("\"args\"[" + arguments.size() + "] holds a NUL character, which no program argument can");
            }
            arguments.add(text.getString());
        }
        return arguments;
    }
}
