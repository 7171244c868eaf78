package io.workerrole.platform;

import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;

import java.io.StringReader;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * The one JSON-P provider the worker uses. {@code JSON.createReader} and the other static
 * shortcuts of {@code jakarta.json.Json} look the provider up anew on every call, and each new
 * provider starts with an empty buffer pool, so every job message parsed allocated fresh
 * parser buffers: the largest single cost per job in a profile of a burst. One provider
 * reuses them.
 */
public final class SharedJson {

    /** Use as {@code JSON.createReader(...)}, {@code JSON.createObjectBuilder()}. */
    public static final JsonProvider JSON = JsonProvider.provider();

    private SharedJson() {
    }

    /**
     * Reads a text that must be one JSON value and nothing more: input from outside (a job
     * message, a request body, a {@code settings.job}). {@code JsonReader.readValue} stops after
     * the first value, so {@code {"type":"a"} {"type":"b"}} or {@code {...}}} would read as the
     * first object with the rest silently dropped; the parser reads on to the end.
     *
     * @throws JsonParsingException if the text is not JSON, is nested deeper than the parser's
     *         limit, or has more after its value (naming the line and column)
     */
    public static JsonValue readWhole(String text) {
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            parser.next();
            JsonValue value = parser.getValue();
            boolean more;
            try {
                more = parser.hasNext();
            } catch (JsonParsingException e) {
                more = true; // Parsson's own complaint ("Expected EOF token, but got CURLYOPEN") says less than ours
            }
            if (more) {
                JsonLocation at = parser.getLocation();
                throw new JsonParsingException("there is more after the JSON value, at line " + at.getLineNumber()
                        + ", column " + at.getColumnNumber(), at);
            }
            return value;
        } catch (JsonException e) {
            throw e;
        } catch (RuntimeException e) {
            // Parsson says "Input is too deeply nested 1,000" with a plain RuntimeException: callers see one kind of error.
            throw new JsonParsingException(e.getMessage(), e, null);
        }
    }

    /**
     * Reads JSON text the worker stored back (a payload, a result): text that is not JSON (a
     * rejected message's body) stays a string, and null is JSON's null.
     */
    public static JsonValue readStored(String text) {
        if (text == null) {
            return JsonValue.NULL;
        }
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (JsonException e) {
            return JSON.createValue(text);
        }
    }
}
