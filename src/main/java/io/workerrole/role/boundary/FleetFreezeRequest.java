package io.workerrole.role.boundary;

import io.workerrole.platform.rest.InvalidRequestException;
import io.workerrole.platform.rest.JsonBody;
import io.workerrole.platform.rest.InvalidRequestException.Kind;
import io.workerrole.role.entity.Hold;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code PUT /api/fleet/freeze}: {@code {"types": [...], "until": "...", "reason": "..."}},
 * every field optional. Without types it holds the whole fleet. Anything else is refused with
 * the reason (400 for what is not a JSON object, 422 for a wrong field), so that a typo such as
 * {@code "untill"} never sets a hold without the end the operator meant.
 *
 * @param types the job types to hold; empty: the whole fleet
 * @param until when the holds lift themselves; null: when an operator lifts them
 * @param reason why, for the other operators; may be null
 */
public record FleetFreezeRequest(List<String> types, Instant until, String reason) {

    static final int MAX_TYPES = 100;
    static final int MAX_TYPE_LENGTH = 200;
    static final int MAX_REASON_LENGTH = 1000;
    private static final Set<String> FIELDS = Set.of("types", "until", "reason");

    /**
     * @param now the time the request came, which {@code until} must be after
     * @throws InvalidRequestException if the body is not such an object
     */
    static FleetFreezeRequest parse(String body, Instant now) {
        JsonObject json = object(body);
        for (String field : json.keySet()) {
            if (!FIELDS.contains(field)) {
                throw invalid("unknown field \"" + field + "\"; the fields are types, until and reason");
            }
        }
        return new FleetFreezeRequest(types(json), until(json, now), reason(json));
    }

    /** @return the holds the request sets, by the caller at the time */
    List<Hold> holds(String caller, Instant now) {
        if (types.isEmpty()) {
            return List.of(new Hold(Hold.FLEET, caller, reason, now, until));
        }
        return types.stream().map(type -> new Hold(type, caller, reason, now, until)).toList();
    }

    private static JsonObject object(String body) {
        if (body.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT; // PUT with no body: the whole fleet, until lifted
        }
        return JsonBody.object(body);
    }

    private static List<String> types(JsonObject json) {
        JsonValue value = json.get("types");
        if (value == null || value == JsonValue.NULL) {
            return List.of();
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw invalid("\"types\" must be an array of job type names");
        }
        Set<String> types = new LinkedHashSet<>();
        for (JsonValue type : value.asJsonArray()) {
            if (!(type instanceof JsonString name) || name.getString().isBlank()) {
                throw invalid("\"types\" must hold job type names, not " + type);
            }
            String text = name.getString().trim();
            if (text.length() > MAX_TYPE_LENGTH || Hold.FLEET.equals(text)) {
                throw invalid("\"types\": " + (Hold.FLEET.equals(text) ? "\"*\" is no type; leave types out to hold the whole fleet"
                        : "a type name is at most " + MAX_TYPE_LENGTH + " characters"));
            }
            types.add(text);
        }
        if (types.isEmpty()) {
            throw invalid("\"types\" is empty; leave it out to hold the whole fleet");
        }
        if (types.size() > MAX_TYPES) {
            throw invalid("\"types\" names more than " + MAX_TYPES + " types");
        }
        return new ArrayList<>(types);
    }

    private static Instant until(JsonObject json, Instant now) {
        JsonValue value = json.get("until");
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonString text)) {
            throw invalid("\"until\" must be a time such as 2026-12-24T18:00:00Z");
        }
        Instant until;
        try {
            until = OffsetDateTime.parse(text.getString()).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid("\"until\" must be a time with its offset, such as 2026-12-24T18:00:00Z: " + text.getString());
        }
        if (!until.isAfter(now)) {
            throw invalid("\"until\" " + text.getString() + " has passed");
        }
        return until;
    }

    private static String reason(JsonObject json) {
        JsonValue value = json.get("reason");
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonString text)) {
            throw invalid("\"reason\" must be text");
        }
        if (text.getString().length() > MAX_REASON_LENGTH) {
            throw invalid("\"reason\" is longer than " + MAX_REASON_LENGTH + " characters");
        }
        return text.getString().isBlank() ? null : text.getString();
    }

    private static InvalidRequestException invalid(String reason) {
        return new InvalidRequestException(Kind.INVALID, reason);
    }
}
