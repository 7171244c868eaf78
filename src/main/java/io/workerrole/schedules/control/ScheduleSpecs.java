package io.workerrole.schedules.control;

import io.workerrole.api.MissedFirings;
import io.workerrole.platform.InputBounds;
import io.workerrole.schedules.entity.InvalidScheduleException;
import io.workerrole.schedules.entity.ScheduleDefinition;
import io.workerrole.schedules.entity.ScheduleKind;
import io.workerrole.schedules.entity.ScheduleOrigin;
import jakarta.enterprise.concurrent.CronTrigger;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * Reads and checks a schedule's definition from its fields, the same for every origin: server.xml
 * ({@code worker.schedule.NAME.FIELD}), {@code @Scheduled} and {@code /api/schedules} JSON. Each
 * mistake is refused with a reason that names the field and what it expects.
 */
public final class ScheduleSpecs {

    /** The fields a definition may have; exactly one of the timing fields. */
    public static final List<String> FIELDS = List.of("cron", "zone", "every", "delay", "at", "after", "startAt",
            "type", "payload", "priority", "singleton", "missed");
    static final List<String> TIMINGS = List.of("cron", "every", "delay", "at", "after");
    static final Duration SHORTEST_INTERVAL = Duration.ofMillis(100);
    /** The longest cron expression and time zone id kept (worker_schedule.cron, worker_schedule.time_zone). */
    static final int MAX_CRON_LENGTH = 200;
    static final int MAX_ZONE_LENGTH = 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private final Set<String> types;
    private final int maxPayloadBytes;

    /**
     * @param types the job types the live servers run (a schedule may name any of them)
     * @param maxPayloadBytes the largest payload accepted
     */
    public ScheduleSpecs(Set<String> types, int maxPayloadBytes) {
        this.types = new TreeSet<>(types);
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * @param fields the definition's fields, as text ({@code payload} as JSON text); absent or
     *        blank fields take their defaults
     * @throws InvalidScheduleException with the reason if the definition is not acceptable
     */
    public ScheduleDefinition define(String name, Map<String, String> fields, ScheduleOrigin origin) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidScheduleException("name \"" + name + "\" must be 1 to 200 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
        Set<String> unknown = fields.keySet().stream().filter(f -> !FIELDS.contains(f)).collect(Collectors.toCollection(TreeSet::new));
        if (!unknown.isEmpty()) {
            throw new InvalidScheduleException("unknown field" + (unknown.size() > 1 ? "s " : " ") + unknown + "; the fields are " + FIELDS);
        }
        List<String> timings = TIMINGS.stream().filter(f -> given(fields, f)).toList();
        if (timings.size() != 1) {
            throw new InvalidScheduleException("give exactly one of " + TIMINGS + (timings.isEmpty() ? "" : ", not " + timings));
        }
        String timing = timings.get(0);
        if (given(fields, "zone") && !timing.equals("cron")) {
            throw new InvalidScheduleException("zone applies to cron schedules only");
        }
        if (given(fields, "startAt") && !(timing.equals("every") || timing.equals("delay"))) {
            throw new InvalidScheduleException("startAt applies to every and delay schedules only");
        }
        String type = text(fields, "type");
        if (type == null) {
            throw new InvalidScheduleException("type is required: the job type each firing starts, one of " + types);
        }
        if (!types.contains(type)) {
            throw new InvalidScheduleException("unknown job type \"" + type + "\"; the live servers run " + types);
        }
        String payload = payload(text(fields, "payload"));
        int priority = priority(text(fields, "priority"));
        boolean singleton = bool(fields, "singleton", true);
        MissedFirings missed = missed(text(fields, "missed"));
        String value = text(fields, timing);
        return switch (timing) {
            case "cron" -> {
                String zone = zone(text(fields, "zone"));
                cron(value, zone);
                yield new ScheduleDefinition(name, ScheduleKind.CRON, value, zone, null, null, type, payload, priority, singleton, missed, origin);
            }
            case "every", "delay" -> new ScheduleDefinition(name, timing.equals("every") ? ScheduleKind.FIXED_RATE : ScheduleKind.FIXED_DELAY,
                    null, null, interval(timing, value), instant("startAt", text(fields, "startAt")), type, payload, priority, singleton, missed, origin);
            case "at" -> new ScheduleDefinition(name, ScheduleKind.ONCE, null, null, null, instant("at", value), type, payload,
                    priority, singleton, missed, origin);
            default -> new ScheduleDefinition(name, ScheduleKind.ONCE, null, null, interval("after", value), null, type, payload,
                    priority, singleton, missed, origin);
        };
    }

    private static boolean given(Map<String, String> fields, String field) {
        return text(fields, field) != null;
    }

    private static String text(Map<String, String> fields, String field) {
        String value = fields.get(field);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String zone(String zone) {
        if (zone == null) {
            return ZoneId.systemDefault().getId();
        }
        String id;
        try {
            id = ZoneId.of(zone).getId();
        } catch (DateTimeException e) {
            id = null;
        }
        if (id == null || id.length() > MAX_ZONE_LENGTH) {
            throw new InvalidScheduleException("zone \"" + shortened(zone) + "\" is not a time zone; use a region id such as "
                    + "Europe/Paris or America/New_York, or an offset such as UTC or +02:00");
        }
        return id;
    }

    private static void cron(String cron, String zone) {
        if (cron.length() > MAX_CRON_LENGTH) {
            throw new InvalidScheduleException("cron is longer than " + MAX_CRON_LENGTH + " characters (" + cron.length() + ")");
        }
        try {
            new CronTrigger(cron, ZoneId.of(zone));
        } catch (RuntimeException e) {
            throw new InvalidScheduleException("cron \"" + cron + "\" is not a cron expression (" + e.getMessage() + "); "
                    + "give 6 fields 'seconds minutes hours dayOfMonth month dayOfWeek' or 5 without seconds, "
                    + "one space apart, such as '0 30 2 * * *'");
        }
    }

    private static Duration interval(String field, String value) {
        try {
            Duration interval = Duration.parse(value);
            if ((interval.compareTo(SHORTEST_INTERVAL) >= 0 || field.equals("after") && !interval.isNegative())
                    && InputBounds.notTooLong(interval)) {
                return interval;
            }
        } catch (DateTimeException e) {
            // reported below
        }
        throw new InvalidScheduleException(field + " \"" + shortened(value) + "\" must be an ISO-8601 duration such as PT30S or PT5M, "
                + (field.equals("after") ? "" : "at least " + SHORTEST_INTERVAL.toMillis() + " ms and ") + "at most " + InputBounds.LONGEST);
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException e) {
            instant = null;
        }
        // The store keeps it in a TIMESTAMP column: a year past 9999 is refused here, not by the database.
        if (instant == null || !InputBounds.storable(instant)) {
            throw new InvalidScheduleException(field + " \"" + shortened(value) + "\" must be an ISO-8601 date and time with an offset, "
                    + "such as 2027-01-01T09:00:00Z or 2027-01-01T10:00:00+01:00, " + InputBounds.instantRange());
        }
        return instant;
    }

    /** @return the value for an error message, cut short when it is long */
    private static String shortened(String value) {
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }

    private String payload(String payload) {
        if (payload == null) {
            return "null";
        }
        if (payload.getBytes(StandardCharsets.UTF_8).length > maxPayloadBytes) {
            throw new InvalidScheduleException("payload is larger than the limit of " + maxPayloadBytes + " bytes");
        }
        try (JsonReader reader = JSON.createReader(new StringReader(payload))) {
            return reader.readValue().toString();
        } catch (JsonException e) {
            throw new InvalidScheduleException("payload is not JSON: " + e.getMessage());
        }
    }

    private static int priority(String priority) {
        if (priority == null) {
            return 4;
        }
        try {
            int value = Integer.parseInt(priority);
            if (value >= 0 && value <= 9) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidScheduleException("priority \"" + priority + "\" must be a whole number from 0 to 9");
    }

    private static boolean bool(Map<String, String> fields, String field, boolean fallback) {
        String value = text(fields, field);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidScheduleException(field + " \"" + value + "\" must be true or false");
        };
    }

    private static MissedFirings missed(String missed) {
        if (missed == null) {
            return MissedFirings.RUN_ONCE;
        }
        try {
            return MissedFirings.valueOf(missed.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException("missed \"" + missed + "\" must be one of " + List.of(MissedFirings.values()));
        }
    }
}
