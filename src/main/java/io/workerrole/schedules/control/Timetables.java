package io.workerrole.schedules.control;

import io.workerrole.schedules.entity.Schedule;
import io.workerrole.schedules.entity.ScheduleDefinition;
import io.workerrole.schedules.entity.ScheduleKind;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** Builds a stored schedule's timetable. */
final class Timetables {

    private Timetables() {
    }

    /**
     * @return the timetable of a CRON, FIXED_RATE or ONCE schedule; empty for FIXED_DELAY, whose
     *         firings depend on when its runs end
     */
    static Optional<Timetable> of(Schedule schedule) {
        ScheduleDefinition definition = schedule.definition();
        return switch (definition.kind()) {
            case CRON -> Optional.of(new CronTimetable(definition.cron(), ZoneId.of(definition.zone())));
            case FIXED_RATE -> Optional.of(new RateTimetable(start(schedule), definition.interval()));
            case ONCE -> Optional.of(new OnceTimetable(start(schedule)));
            case FIXED_DELAY -> Optional.empty();
        };
    }

    /**
     * @return the first firing of a FIXED_RATE, FIXED_DELAY or ONCE schedule: its {@code startAt},
     *         or one interval after it was first stored
     */
    static Instant start(Schedule schedule) {
        ScheduleDefinition definition = schedule.definition();
        if (definition.startAt() != null) {
            return definition.startAt();
        }
        if (definition.kind() == ScheduleKind.CRON) {
            throw new IllegalArgumentException("a cron schedule has no start");
        }
        return schedule.createdAt().plus(definition.interval());
    }
}
