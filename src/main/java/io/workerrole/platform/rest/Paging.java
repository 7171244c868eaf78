package io.workerrole.platform.rest;

import io.workerrole.platform.InputBounds;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The query parameters of the API's lists, newest first: {@code limit} (1 to 500, default 50),
 * the {@code before} cursor, and filters by a named value. A bad one is a 400 with the reason.
 *
 * @param limit how many per page
 * @param before only entries older than this position, or null for the first page
 */
public record Paging(int limit, Long before) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    public static Paging of(String limit, String before) {
        return new Paging(limit == null ? DEFAULT_LIMIT : (int) number("limit", limit, 1, MAX_LIMIT),
                before == null ? null : number("before", before, 1, Long.MAX_VALUE));
    }

    /**
     * @param name the parameter's name, for the error
     * @return the constant the value names (in any case), or null when the value is absent or blank
     */
    public static <E extends Enum<E>> E filter(String name, String value, Class<E> values) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(values, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("unknown " + name + " \"" + value + "\"; " + name + "s are " + List.of(values.getEnumConstants()));
        }
    }

    /**
     * @param name the parameter's name, for the error
     * @return the instant the value gives in ISO-8601 ({@code 2026-12-03T10:00:00Z}), or null when it is absent or blank
     * @throws BadRequestException if it is not one, or not within {@link InputBounds}
     */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " must be an ISO-8601 instant such as 2026-12-03T10:00:00Z, not \"" + value + "\"");
        }
        // Derby refuses a TIMESTAMP parameter past the year 9999 as a store error, not as bad input.
        if (!InputBounds.storable(instant)) {
            throw new BadRequestException(name + " must be an instant " + InputBounds.instantRange() + ", not \"" + value + "\"");
        }
        return instant;
    }

    /**
     * Adds the link to the next page when this one is full.
     *
     * @param size how many entries this page has
     * @param lastSeq the position of its last (oldest) entry
     */
    public void addNext(JsonObjectBuilder json, UriInfo uri, int size, long lastSeq) {
        addNext(json, uri, size, "before", lastSeq);
    }

    /**
     * Adds the link to the next page when this one is full, for a list with a cursor of its own.
     *
     * @param cursor the query parameter that takes the next page's start
     * @param last the value of the cursor for the next page: its last entry's
     */
    public void addNext(JsonObjectBuilder json, UriInfo uri, int size, String cursor, Object last) {
        if (size == limit) {
            json.add("next", uri.getRequestUriBuilder().replaceQueryParam(cursor, last)
                    .replaceQueryParam("limit", limit).build().toString());
        }
    }

    private static long number(String name, String value, long min, long max) {
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequestException(name + " must be a whole number from " + min + " to " + max);
    }
}
