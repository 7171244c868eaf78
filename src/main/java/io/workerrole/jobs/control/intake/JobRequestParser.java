package io.workerrole.jobs.control.intake;

import io.workerrole.jobs.control.JobSettings;
import io.workerrole.platform.rest.InvalidRequestException.Kind;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.platform.AllowedOrigins;
import io.workerrole.platform.InputBounds;
import io.workerrole.platform.SharedJson;
import io.workerrole.platform.rest.InvalidRequestException;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the job message contract (the same JSON over JMS and HTTP) and says precisely what is
 * wrong with a bad one. Only {@code type} is required; unknown fields are ignored so that newer
 * producers can talk to older workers. A {@code callbackUrl} must name an allowed origin: the
 * worker POSTs to it, and must not be made to call into its own network for a producer.
 */
public final class JobRequestParser {

    /** A type name; a colon only as a script's {@code script:NAME} has it. */
    static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._-]{1,100}|script:[A-Za-z0-9][A-Za-z0-9._-]{0,92}");
    static final int MAX_KEY_LENGTH = InputBounds.LONGEST_KEY;
    static final int MAX_URL_LENGTH = 2000;

    private final int maxBytes;
    private final AllowedOrigins callbackOrigins;
    private final RunTimes runTimes;

    /**
     * The bounds on a job's run time: not earlier than {@code grace} before now (a clock a little
     * behind the producer's is no error; a run time long past is), not later than {@code maxDelay} after.
     */
    public record RunTimes(Clock clock, Duration grace, Duration maxDelay) {

        /** The defaults of {@code worker.jobs.runAtGrace} and {@code worker.jobs.maxDelay}. */
        public static final Duration DEFAULT_GRACE = Duration.ofMinutes(1);
        public static final Duration DEFAULT_MAX_DELAY = Duration.ofDays(365);
    }

    /**
     * @param maxBytes the largest accepted message, in UTF-8 bytes
     * @param callbackOrigins the origins a {@code callbackUrl} may name ({@code worker.callback.allowedOrigins})
     */
    public JobRequestParser(int maxBytes, AllowedOrigins callbackOrigins) {
        this(maxBytes, callbackOrigins, new RunTimes(Clock.systemUTC(), RunTimes.DEFAULT_GRACE, RunTimes.DEFAULT_MAX_DELAY));
    }

    /** @param runTimes the bounds on {@code runAt} and {@code delay} ({@code worker.jobs.runAtGrace}, {@code worker.jobs.maxDelay}) */
    public JobRequestParser(int maxBytes, AllowedOrigins callbackOrigins, RunTimes runTimes) {
        this.maxBytes = maxBytes;
        this.callbackOrigins = callbackOrigins;
        this.runTimes = runTimes;
    }

    /**
     * @param text the message body
     * @return the request
     * @throws InvalidRequestException with the reason when the request is not acceptable
     */
    public JobRequest parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException(Kind.MALFORMED, "the message is empty; expected a JSON object with a \"type\"");
        }
        if (text.length() > maxBytes || text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new InvalidRequestException(Kind.TOO_LARGE, "the message is larger than the limit of " + maxBytes + " bytes");
        }
        JsonValue value;
        try {
            value = SharedJson.readWhole(text);
        } catch (JsonException e) {
            throw new InvalidRequestException(Kind.MALFORMED, "the message is not valid JSON: " + e.getMessage());
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidRequestException(Kind.MALFORMED, "the message must be a JSON object, not " + describe(value));
        }
        return read(value.asJsonObject());
    }

    /**
     * One element of a batch: its request, or what is wrong with it.
     *
     * @param request the request, or null when the element is not acceptable
     * @param problem why not, or null
     */
    public record Element(JobRequest request, InvalidRequestException problem) {
    }

    /**
     * Reads a batch: a JSON array of job messages, each read and judged on its own (a bad element
     * does not spoil the others), each no larger than a single message may be.
     *
     * @param text the body, a JSON array
     * @param maxJobs the most elements accepted
     * @return one element per job message, in order
     * @throws InvalidRequestException if the body is not a non-empty JSON array, or has too many elements
     */
    public List<Element> parseBatch(String text, int maxJobs) {
        JsonValue value;
        try {
            value = SharedJson.readWhole(text);
        } catch (JsonException e) {
            throw new InvalidRequestException(Kind.MALFORMED, "the body is not valid JSON: " + e.getMessage());
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new InvalidRequestException(Kind.MALFORMED, "a batch must be a JSON array of job messages, not " + describe(value));
        }
        List<JsonValue> messages = value.asJsonArray();
        if (messages.isEmpty()) {
            throw new InvalidRequestException(Kind.INVALID, "the batch is empty; send at least one job message");
        }
        if (messages.size() > maxJobs) {
            throw new InvalidRequestException(Kind.TOO_LARGE, "the batch has " + messages.size()
                    + " job messages; the limit is " + maxJobs + " (worker.http.maxBatchJobs)");
        }
        List<Element> elements = new ArrayList<>(messages.size());
        for (JsonValue message : messages) {
            try {
                elements.add(new Element(read(message), null));
            } catch (InvalidRequestException e) {
                elements.add(new Element(null, e));
            }
        }
        return elements;
    }

    /**
     * Reads one job message that is already JSON (an element of a batch, or a job from code).
     *
     * @throws InvalidRequestException with the reason when it is not acceptable
     */
    public JobRequest read(JsonValue message) {
        if (message.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidRequestException(Kind.MALFORMED, "a job message must be a JSON object, not " + describe(message));
        }
        if (message.toString().getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new InvalidRequestException(Kind.TOO_LARGE, "the job message is larger than the limit of " + maxBytes + " bytes");
        }
        return read(message.asJsonObject());
    }

    private JobRequest read(JsonObject json) {
        String type = string(json, "type");
        String payload = json.containsKey("payload") ? json.get("payload").toString() : JsonValue.NULL.toString();
        String idempotencyKey = string(json, "idempotencyKey");
        String sequenceKey = null;
        Long sequenceNumber = null;
        if (isPresent(json, "sequence")) {
            JsonValue sequence = json.get("sequence");
            if (sequence.getValueType() != JsonValue.ValueType.OBJECT) {
                throw invalid("\"sequence\" must be an object {\"key\": string, \"number\": whole number}, not " + describe(sequence));
            }
            sequenceKey = string(sequence.asJsonObject(), "key");
            sequenceNumber = wholeNumber(sequence.asJsonObject(), "number", "sequence.number");
            if (sequenceKey == null || sequenceNumber == null) {
                throw invalid("\"sequence\" needs both \"key\" and \"number\"");
            }
        }
        String callbackUrl = string(json, "callbackUrl");
        Long priority = wholeNumber(json, "priority", "priority");
        boolean reply = false;
        if (isPresent(json, "reply")) {
            JsonValue value = json.get("reply");
            if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
                throw invalid("\"reply\" must be true or false, not " + describe(value));
            }
            reply = value == JsonValue.TRUE;
        }
        // Clamped, not cut to an int: a priority of 2^32 + 4 must be refused, not read as 4.
        Integer clampedPriority = priority == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, priority));
        return check(new JobRequest(type, payload, idempotencyKey, sequenceKey, sequenceNumber, callbackUrl, clampedPriority, reply,
                runAt(json)).withMutex(string(json, "mutex")));
    }

    /** @return {@code runAt}, or now + {@code delay}, or null when the message has neither */
    private Instant runAt(JsonObject json) {
        String at = string(json, "runAt");
        String delay = string(json, "delay");
        if (at != null && delay != null) {
            throw invalid("give \"runAt\" or \"delay\", not both");
        }
        if (at != null) {
            try {
                return Instant.parse(at);
            } catch (DateTimeParseException e) {
                throw invalid("\"runAt\" must be an ISO-8601 instant such as 2026-12-24T18:00:00Z, not " + at);
            }
        }
        if (delay != null) {
            Duration wait;
            try {
                wait = Duration.parse(delay);
            } catch (DateTimeParseException e) {
                throw invalid("\"delay\" must be an ISO-8601 duration such as PT10M, not " + delay);
            }
            if (wait.isNegative()) {
                throw invalid("\"delay\" cannot be negative");
            }
            // Compared before it is added: now plus a delay of PT9223372036854775807S overflows.
            if (wait.compareTo(runTimes.maxDelay()) > 0) {
                throw invalid("\"delay\" " + delay + " is longer than " + runTimes.maxDelay() + " (" + JobSettings.MAX_DELAY + ")");
            }
            return runTimes.clock().instant().plus(wait);
        }
        return null;
    }

    /**
     * Judges a request by the rules of the job message contract, whatever it came from: what
     * {@link #parse} checks beyond the JSON itself. A job from code ({@code Jobs}) is built as a
     * request and judged here, so that it meets the same rules as a message without being
     * written out as one and read back.
     *
     * @return the request
     * @throws InvalidRequestException with the reason when it is not acceptable
     */
    public JobRequest check(JobRequest request) {
        if (request.type() == null) {
            throw invalid("\"type\" is required: the job type to run");
        }
        if (!TYPE.matcher(request.type()).matches()) {
            throw invalid("\"type\" must be 1 to 100 letters, digits, '.', '_' or '-' (or script:NAME, a script's)");
        }
        if (request.payload().length() > maxBytes || request.payload().getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new InvalidRequestException(Kind.TOO_LARGE, "the payload is larger than the limit of " + maxBytes + " bytes");
        }
        checkLength("idempotencyKey", request.idempotencyKey(), MAX_KEY_LENGTH);
        checkLength("sequence.key", request.sequenceKey(), MAX_KEY_LENGTH);
        checkLength("mutex", request.mutex(), MAX_KEY_LENGTH);
        if (request.sequenceNumber() != null && request.sequenceNumber() < 0) {
            throw invalid("\"sequence.number\" must be from 0 to " + Long.MAX_VALUE);
        }
        if (request.priority() != null && (request.priority() < 0 || request.priority() > 9)) {
            throw invalid("\"priority\" must be from 0 to 9");
        }
        if (request.callbackUrl() != null) {
            checkLength("callbackUrl", request.callbackUrl(), MAX_URL_LENGTH);
            checkCallbackUrl(request.callbackUrl());
        }
        if (request.runAt() != null) {
            checkRunTime(request.runAt());
        }
        return request;
    }

    private void checkRunTime(Instant runAt) {
        Instant now = runTimes.clock().instant();
        if (runAt.isBefore(now.minus(runTimes.grace()))) {
            throw invalid("\"runAt\" " + runAt + " is more than " + runTimes.grace() + " in the past ("
                    + JobSettings.RUN_AT_GRACE + "); leave \"runAt\" out to run the job now");
        }
        if (runAt.isAfter(now.plus(runTimes.maxDelay()))) {
            throw invalid("\"runAt\" " + runAt + " is more than " + runTimes.maxDelay() + " ahead (" + JobSettings.MAX_DELAY + ")");
        }
    }

    private static void checkLength(String field, String text, int maxLength) {
        if (text != null && (text.isEmpty() || text.length() > maxLength)) {
            throw invalid("\"" + field + "\" must be 1 to " + maxLength + " characters long");
        }
    }

    private void checkCallbackUrl(String url) {
        callbackOrigins.refusal("callbackUrl", url, JobSettings.CALLBACKS).ifPresent(reason -> {
            throw invalid(reason);
        });
    }

    private static boolean isPresent(JsonObject json, String field) {
        return json.containsKey(field) && json.get(field) != JsonValue.NULL;
    }

    /** @return the field's text, or null when absent; length and form are for {@link #check} */
    private static String string(JsonObject json, String field) {
        if (!isPresent(json, field)) {
            return null;
        }
        JsonValue value = json.get(field);
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw invalid("\"" + field + "\" must be a string, not " + describe(value));
        }
        return ((JsonString) value).getString();
    }

    /** @return the field's whole number, or null when absent; its range is for {@link #check} */
    private static Long wholeNumber(JsonObject json, String field, String name) {
        if (!isPresent(json, field)) {
            return null;
        }
        JsonValue value = json.get(field);
        if (value.getValueType() != JsonValue.ValueType.NUMBER || !((JsonNumber) value).isIntegral()) {
            throw invalid("\"" + name + "\" must be a whole number, not " + describe(value));
        }
        try {
            return ((JsonNumber) value).longValueExact();
        } catch (ArithmeticException e) {
            throw invalid("\"" + name + "\" is out of range");
        }
    }

    private static String describe(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case NULL -> "null";
        };
    }

    private static InvalidRequestException invalid(String reason) {
        return new InvalidRequestException(Kind.INVALID, reason);
    }
}
