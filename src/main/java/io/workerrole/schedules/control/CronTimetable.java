package io.workerrole.schedules.control;

import jakarta.enterprise.concurrent.CronTrigger;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

/**
 * The instants of a cron expression in a time zone, by Jakarta Concurrency's {@link CronTrigger},
 * with the daylight-saving rules of classic cron on top:
 * <ul>
 *   <li>When clocks go forward, a firing whose wall-clock time does not exist that day (02:30 in
 *       a gap from 02:00 to 03:00) runs at the moment of the change, once, instead of being lost.</li>
 *   <li>When clocks go back, a fixed wall-clock time that comes twice (02:30) fires at its first
 *       occurrence only. Expressions whose hour field is {@code *} follow real time instead, so an
 *       every-minute schedule keeps firing through the repeated hour.</li>
 * </ul>
 */
final class CronTimetable implements Timetable {

    private final Rule rule;
    private final ZoneId zone;
    private final boolean everyHour;
    private final String expression;

    /**
     * @throws IllegalArgumentException if the expression is not one {@link CronTrigger} reads
     */
    CronTimetable(String expression, ZoneId zone) {
        this.rule = new Rule(expression, zone);
        this.zone = zone;
        this.expression = expression;
        String[] fields = expression.trim().split(" ");
        this.everyHour = "*".equals(fields[fields.length == 6 ? 2 : 1]);
    }

    @Override
    public Optional<Instant> firstAfter(Instant after) {
        ZonedDateTime from = ZonedDateTime.ofInstant(after, zone);
        Optional<ZonedDateTime> next = rule.after(from);
        Optional<Instant> swallowed = swallowedByGap(after, next);
        if (swallowed.isPresent()) {
            return swallowed;
        }
        if (next.isPresent() && !everyHour && isRepeatOfFiredTime(next.get(), after)) {
            next = rule.after(next.get());
        }
        return next.map(ZonedDateTime::toInstant);
    }

    /**
     * If clocks go forward between {@code after} and the next firing, and the expression names a
     * wall-clock time inside the skipped hour, the firing happens at the change.
     */
    private Optional<Instant> swallowedByGap(Instant after, Optional<ZonedDateTime> next) {
        ZoneOffsetTransition transition = zone.getRules().nextTransition(after);
        if (transition == null || !transition.isGap()
                || next.isPresent() && next.get().toInstant().isBefore(transition.getInstant())) {
            return Optional.empty();
        }
        // The expression read on the clock as it was before the change, over the skipped hour.
        ZoneOffset before = transition.getOffsetBefore();
        LocalDateTime gapStart = transition.getDateTimeBefore();
        Optional<ZonedDateTime> inGap = new Rule(expression, before).after(gapStart.minusNanos(1).atZone(before));
        return inGap.filter(t -> t.toLocalDateTime().isBefore(transition.getDateTimeAfter()))
                .map(t -> transition.getInstant());
    }

    /** A wall-clock time that comes a second time after clocks went back, when its first came already. */
    private boolean isRepeatOfFiredTime(ZonedDateTime next, Instant after) {
        ZonedDateTime first = next.withEarlierOffsetAtOverlap();
        return !first.equals(next) && !first.toInstant().isAfter(after);
    }

    /** CronTrigger's own arithmetic, which it keeps protected for subclasses. */
    private static final class Rule extends CronTrigger {
        Rule(String expression, ZoneId zone) {
            super(expression, zone);
        }

        Optional<ZonedDateTime> after(ZonedDateTime time) {
            try {
                return Optional.ofNullable(next(time.plusNanos(1)));
            } catch (DateTimeException e) {
                return Optional.empty(); // no such date any more, such as 31 February
            }
        }
    }
}
