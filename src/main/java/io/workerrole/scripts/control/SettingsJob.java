package io.workerrole.scripts.control;

import io.workerrole.platform.SharedJson;
import io.workerrole.scripts.entity.ScriptKind;
import io.workerrole.scripts.entity.ScriptSettings;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;


/**
 * Reads a script's {@code settings.job}: a JSON object with the WebJobs settings
 * ({@code schedule}, {@code is_singleton}, {@code stopping_wait_time}, {@code is_in_place}) and
 * ours ({@code max_attempts}, {@code timeout}, {@code priority}); what it leaves out takes the
 * defaults of {@link ScriptSettings#defaults}. A field set to {@code null} counts as left out.
 * <p>
 * Every field is checked and every problem named at once, so an admin mends the file in one go.
 * An unknown field is an error, not ignored: a misspelt {@code is_singelton} silently dropped
 * would run a script twice that was meant to run once. WebJobs itself knows no other fields than
 * the four above.
 * <p>
 * {@code timeout} is a whole number of seconds ({@code 600}) or an ISO-8601 duration string
 * ({@code "PT10M"}). {@code schedule} must have 6 fields (seconds first, as in WebJobs) or 5;
 * whether the fields themselves make sense is for the schedule code to say. Its whitespace is
 * made single spaces.
 */
public final class SettingsJob {

    /** The file's name in a script folder. */
    public static final String FILE_NAME = "settings.job";

    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_SCHEDULE_LENGTH = 200;
    static final long MAX_STOPPING_WAIT_SECONDS = 3600;
    static final Duration MAX_TIMEOUT = Duration.ofDays(7);
    static final int MAX_ATTEMPTS = 100;
    static final int MAX_PRIORITY = 9;

    static final String SCHEDULE = "schedule";
    static final String IS_SINGLETON = "is_singleton";
    static final String STOPPING_WAIT_TIME = "stopping_wait_time";
    static final String IS_IN_PLACE = "is_in_place";
    static final String MAX_ATTEMPTS_FIELD = "max_attempts";
    static final String TIMEOUT = "timeout";
    static final String PRIORITY = "priority";

    /** The known fields, in the order an error lists them. */
    static final List<String> FIELDS = List.of(SCHEDULE, IS_SINGLETON, STOPPING_WAIT_TIME, IS_IN_PLACE,
            MAX_ATTEMPTS_FIELD, TIMEOUT, PRIORITY);

    private SettingsJob() {
    }

    /**
     * @param folder a script's folder
     * @param kind the kind its place gives it
     * @return the settings of its {@code settings.job}, or the defaults when it has none
     * @throws InvalidScriptException if the file cannot be read or is not valid
     */
    public static ScriptSettings read(Path folder, ScriptKind kind) {
        Path file = folder.resolve(FILE_NAME);
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidScriptException(FILE_NAME + " is larger than " + MAX_BYTES + " bytes; it holds a few settings only");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return ScriptSettings.defaults(kind);
        } catch (MalformedInputException e) {
            throw new InvalidScriptException(FILE_NAME + " is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidScriptException(FILE_NAME + " cannot be read: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        return parse(text, kind);
    }

    /**
     * @param text the content of a {@code settings.job}
     * @param kind the kind of the script it belongs to
     * @return its settings, with the defaults for what it leaves out
     * @throws InvalidScriptException if it is not a JSON object of valid settings
     */
    public static ScriptSettings parse(String text, ScriptKind kind) {
        // Editors on Windows may start a UTF-8 file with a byte order mark, which is no JSON.
        String json = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (json.isBlank()) {
            return ScriptSettings.defaults(kind);
        }
        JsonValue value;
        try {
            value = SharedJson.readWhole(json);
        } catch (JsonException e) {
            throw new InvalidScriptException(FILE_NAME + " is not valid JSON: " + e.getMessage());
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidScriptException(FILE_NAME + " must be a JSON object such as {\"" + IS_SINGLETON
                    + "\": true}, not " + describe(value));
        }
        return new Fields(value.asJsonObject(), kind).settings();
    }

    /** One reading of the fields, gathering every problem before giving up. */
    private static final class Fields {

        private final JsonObject json;
        private final ScriptKind kind;
        private final List<String> problems = new ArrayList<>();

        Fields(JsonObject json, ScriptKind kind) {
            this.json = json;
            this.kind = kind;
        }

        ScriptSettings settings() {
            for (String field : json.keySet()) {
                if (!FIELDS.contains(field)) {
                    problems.add("\"" + field + "\" is not a setting; the settings are " + String.join(", ", FIELDS));
                }
            }
            ScriptSettings defaults = ScriptSettings.defaults(kind);
            String schedule = schedule();
            boolean singleton = flag(IS_SINGLETON, defaults.singleton());
            Long stoppingWait = wholeNumber(STOPPING_WAIT_TIME, 0, MAX_STOPPING_WAIT_SECONDS, "a whole number of seconds");
            boolean inPlace = flag(IS_IN_PLACE, defaults.inPlace());
            Long maxAttempts = wholeNumber(MAX_ATTEMPTS_FIELD, 1, MAX_ATTEMPTS, "a whole number");
            Duration timeout = timeout();
            Long priority = wholeNumber(PRIORITY, 0, MAX_PRIORITY, "a whole number");
            if (!problems.isEmpty()) {
                throw new InvalidScriptException(FILE_NAME + " is not valid: " + String.join("; ", problems));
            }
            return new ScriptSettings(schedule, singleton,
                    stoppingWait == null ? defaults.stoppingWaitTime() : Duration.ofSeconds(stoppingWait),
                    inPlace, maxAttempts == null ? null : maxAttempts.intValue(), timeout,
                    priority == null ? null : priority.intValue());
        }

        private String schedule() {
            JsonValue value = value(SCHEDULE);
            if (value == null) {
                return null;
            }
            if (kind == ScriptKind.CONTINUOUS) {
                problems.add("\"" + SCHEDULE + "\" is for triggered scripts; a continuous script runs all the time"
                        + " (remove the schedule, or move the folder to " + ScriptKind.TRIGGERED.folder() + "/)");
                return null;
            }
            String example = "a cron expression such as \"0 */15 * * * *\" (second minute hour day month weekday)";
            if (value.getValueType() != JsonValue.ValueType.STRING) {
                problems.add("\"" + SCHEDULE + "\" must be a string, " + example + ", not " + describe(value));
                return null;
            }
            String expression = ((JsonString) value).getString().trim();
            if (expression.length() > MAX_SCHEDULE_LENGTH) {
                problems.add("\"" + SCHEDULE + "\" is longer than " + MAX_SCHEDULE_LENGTH + " characters");
                return null;
            }
            String[] fields = expression.isEmpty() ? new String[0] : expression.split("\\s+");
            if (fields.length != 6 && fields.length != 5) {
                problems.add("\"" + SCHEDULE + "\" must be " + example + ", or of 5 fields without the seconds; "
                        + describe(value) + " has " + fields.length + (fields.length == 1 ? " field" : " fields"));
                return null;
            }
            return String.join(" ", fields);
        }

        private boolean flag(String field, boolean absent) {
            JsonValue value = value(field);
            if (value == null) {
                return absent;
            }
            if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
                problems.add("\"" + field + "\" must be true or false, not " + describe(value));
                return absent;
            }
            return value == JsonValue.TRUE;
        }

        /** @return the field's number, or null when it is absent or wrong (then with a problem noted) */
        private Long wholeNumber(String field, long min, long max, String what) {
            JsonValue value = value(field);
            if (value == null) {
                return null;
            }
            // Compared as BigDecimal, not cut to a long: 2^64 + 4 must be refused, not read as 4.
            if (value.getValueType() != JsonValue.ValueType.NUMBER || !((JsonNumber) value).isIntegral()
                    || ((JsonNumber) value).bigDecimalValue().compareTo(BigDecimal.valueOf(min)) < 0
                    || ((JsonNumber) value).bigDecimalValue().compareTo(BigDecimal.valueOf(max)) > 0) {
                problems.add("\"" + field + "\" must be " + what + " from " + min + " to " + max + ", not " + describe(value));
                return null;
            }
            return ((JsonNumber) value).longValue();
        }

        private Duration timeout() {
            JsonValue value = value(TIMEOUT);
            if (value == null) {
                return null;
            }
            String expected = "\"" + TIMEOUT + "\" must be a whole number of seconds from 1 to " + MAX_TIMEOUT.toSeconds()
                    + " or an ISO-8601 duration from PT1S to " + MAX_TIMEOUT + " such as \"PT10M\", not " + describe(value);
            Duration timeout = null;
            if (value.getValueType() == JsonValue.ValueType.NUMBER && ((JsonNumber) value).isIntegral()) {
                BigDecimal seconds = ((JsonNumber) value).bigDecimalValue();
                if (seconds.compareTo(BigDecimal.valueOf(MAX_TIMEOUT.toSeconds())) <= 0) {
                    timeout = Duration.ofSeconds(seconds.longValue());
                }
            } else if (value.getValueType() == JsonValue.ValueType.STRING) {
                try {
                    timeout = Duration.parse(((JsonString) value).getString().trim());
                } catch (DateTimeParseException e) {
                    timeout = null;
                }
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
                problems.add(expected);
                return null;
            }
            return timeout;
        }

        /** @return the field's value, or null when it is absent or JSON null */
        private JsonValue value(String field) {
            JsonValue value = json.get(field);
            return value == null || value == JsonValue.NULL ? null : value;
        }
    }

    /** @return the value for an error message: its JSON type and, for a short one, itself */
    static String describe(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "the string " + shortened(value.toString());
            case NUMBER -> "the number " + shortened(value.toString());
            case TRUE, FALSE -> "the boolean " + value;
            case NULL -> "null";
        };
    }

    private static String shortened(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
