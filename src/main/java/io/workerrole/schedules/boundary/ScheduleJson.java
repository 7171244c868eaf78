package io.workerrole.schedules.boundary;

import io.workerrole.platform.SharedJson;
import io.workerrole.schedules.entity.InvalidScheduleException;
import io.workerrole.schedules.entity.Firing;
import io.workerrole.schedules.entity.Schedule;
import io.workerrole.schedules.entity.ScheduleDefinition;
import io.workerrole.schedules.entity.ScheduleKind;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * The JSON of {@code /api/schedules}. A schedule's view uses the same fields as its definition
 * (cron and zone, every, delay, at, after, startAt, type, payload, ...), so a view can be sent
 * back with PUT.
 */
final class ScheduleJson {

    /** Fields of the view that a request may carry back (from GET to PUT); they are ignored. */
    private static final Set<String> READ_ONLY = Set.of("kind", "origin", "paused", "version", "createdAt", "updatedAt",
            "nextFiringAt", "lastFiring");

    private ScheduleJson() {
    }

    /** Reads a request body into its name (or null) and its definition's fields as text. */
    static Request request(String body) {
        JsonValue value;
        try {
            value = SharedJson.readWhole(body);
        } catch (JsonException e) {
            throw new InvalidScheduleException(400, "the body is not JSON: " + e.getMessage());
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidScheduleException(400, "the body must be a JSON object");
        }
        Map<String, String> fields = new HashMap<>();
        String name = null;
        for (Map.Entry<String, JsonValue> field : value.asJsonObject().entrySet()) {
            JsonValue v = field.getValue();
            if (field.getKey().equals("name")) {
                name = text(field.getKey(), v);
            } else if (field.getKey().equals("payload")) {
                fields.put("payload", v.toString());
            } else if (v.getValueType() != JsonValue.ValueType.NULL && !READ_ONLY.contains(field.getKey())) {
                fields.put(field.getKey(), text(field.getKey(), v));
            }
        }
        return new Request(name, fields);
    }

    record Request(String name, Map<String, String> fields) {
    }

    private static String text(String field, JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NUMBER, TRUE, FALSE -> value.toString();
            case NULL -> null;
            default -> throw new InvalidScheduleException(field + " must be text, a number or true/false, not " + value.getValueType());
        };
    }

    static JsonObject view(Schedule schedule, Optional<Instant> nextFiring, Firing lastFiring) {
        ScheduleDefinition d = schedule.definition();
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("name", d.name())
                .add("kind", d.kind().name());
        switch (d.kind()) {
            case CRON -> json.add("cron", d.cron()).add("zone", d.zone());
            case FIXED_RATE -> json.add("every", d.interval().toString());
            case FIXED_DELAY -> json.add("delay", d.interval().toString());
            case ONCE -> {
                if (d.startAt() != null) {
                    json.add("at", d.startAt().toString());
                } else {
                    json.add("after", d.interval().toString());
                }
            }
        }
        if (d.startAt() != null && d.kind() != ScheduleKind.ONCE) {
            json.add("startAt", d.startAt().toString());
        }
        json.add("type", d.jobType())
                .add("payload", SharedJson.readStored(d.payload()))
                .add("priority", d.priority())
                .add("singleton", d.singleton())
                .add("missed", d.missed().name())
                .add("origin", d.origin().name())
                .add("paused", schedule.paused())
                .add("version", schedule.version())
                .add("createdAt", schedule.createdAt().toString())
                .add("updatedAt", schedule.updatedAt().toString());
        nextFiring.ifPresent(t -> json.add("nextFiringAt", t.toString()));
        if (lastFiring != null) {
            json.add("lastFiring", firing(lastFiring));
        }
        return json.build();
    }

    static JsonObject firing(Firing firing) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("seq", firing.seq())
                .add("scheduledFor", firing.scheduledFor().toString())
                .add("recordedAt", firing.recordedAt().toString())
                .add("outcome", firing.outcome().name())
                .add("scope", firing.scope())
                .add("server", firing.server());
        if (firing.jobId() != null) {
            json.add("jobId", firing.jobId());
        }
        if (firing.detail() != null) {
            json.add("detail", firing.detail());
        }
        return json.build();
    }
}
