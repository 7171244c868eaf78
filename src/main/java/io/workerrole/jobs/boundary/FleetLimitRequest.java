package io.workerrole.jobs.boundary;

import io.workerrole.jobs.control.JobSettings;
import io.workerrole.platform.rest.InvalidRequestException;
import io.workerrole.platform.rest.JsonBody;
import io.workerrole.platform.rest.InvalidRequestException.Kind;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.Set;

/**
 * The body of {@code PUT /api/fleet/limits/{type}}: {@code {"concurrency": 5, "perSecond": 20}},
 * either may be absent (not both): how many of the type's jobs may run at once across the
 * fleet, and how many may start per second (a decimal: 0.5 is one every two seconds). Anything
 * else is refused naming the field (400 for what is not a JSON object, 422 for a wrong field),
 * within the bounds server.xml's {@code worker.limits.TYPE.*} have.
 *
 * @param concurrency null: not set over the API (this server's server.xml applies, if it sets one)
 * @param perSecond null: likewise
 */
record FleetLimitRequest(Integer concurrency, Double perSecond) {

    static final int MAX_TYPE_LENGTH = 200;
    private static final Set<String> FIELDS = Set.of("concurrency", "perSecond");

    /** @throws InvalidRequestException if the body is not such an object */
    static FleetLimitRequest parse(String body) {
        JsonObject json = object(body);
        for (String field : json.keySet()) {
            if (!FIELDS.contains(field)) {
                throw invalid("unknown field \"" + field + "\"; the fields are concurrency and perSecond");
            }
        }
        Integer concurrency = concurrency(json);
        Double perSecond = perSecond(json);
        if (concurrency == null && perSecond == null) {
            throw invalid("give \"concurrency\", \"perSecond\" or both; DELETE removes the type's limit");
        }
        return new FleetLimitRequest(concurrency, perSecond);
    }

    /** @return the type named in the path, trimmed */
    static String type(String type) {
        if (type == null || type.isBlank()) {
            throw invalid("the job type is missing: /api/fleet/limits/TYPE");
        }
        if (type.trim().length() > MAX_TYPE_LENGTH) {
            throw invalid("a job type is at most " + MAX_TYPE_LENGTH + " characters");
        }
        return type.trim();
    }

    private static Integer concurrency(JsonObject json) {
        JsonValue value = json.get("concurrency");
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()
                || number.bigDecimalValue().compareTo(java.math.BigDecimal.ONE) < 0
                || number.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(JobSettings.MAX_LIMIT_CONCURRENCY)) > 0) {
            throw invalid("\"concurrency\" must be a whole number from 1 to " + JobSettings.MAX_LIMIT_CONCURRENCY + ", not " + value);
        }
        return number.intValue();
    }

    private static Double perSecond(JsonObject json) {
        JsonValue value = json.get("perSecond");
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonNumber number)) {
            throw invalid("\"perSecond\" must be a number, such as 20 or 0.5, not " + value);
        }
        try {
            return JobSettings.parsePerSecond(number.bigDecimalValue().toPlainString());
        } catch (IllegalArgumentException e) {
            throw invalid("\"perSecond\" must be from " + JobSettings.MIN_LIMIT_PER_SECOND + " to " + (int) JobSettings.MAX_LIMIT_PER_SECOND
                    + " starts per second, not " + value);
        }
    }

    private static JsonObject object(String body) {
        return JsonBody.object(body);
    }

    private static InvalidRequestException invalid(String reason) {
        return new InvalidRequestException(Kind.INVALID, reason);
    }
}
