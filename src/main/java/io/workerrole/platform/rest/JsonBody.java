package io.workerrole.platform.rest;

import io.workerrole.platform.SharedJson;
import io.workerrole.platform.rest.InvalidRequestException.Kind;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** A request's body read as one JSON object, or a 400 that says what is wrong with it. */
public final class JsonBody {

    private JsonBody() {
    }

    /** @throws InvalidRequestException (malformed) if the body is not JSON, or JSON but not an object */
    public static JsonObject object(String body) {
        JsonValue value;
        try {
            value = SharedJson.readWhole(body);
        } catch (JsonException e) {
            throw new InvalidRequestException(Kind.MALFORMED, "the body is not JSON: " + e.getMessage());
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidRequestException(Kind.MALFORMED, "the body must be a JSON object");
        }
        return value.asJsonObject();
    }
}
