package io.workerrole.schedules.control;

import io.workerrole.jobs.entity.Job;
import io.workerrole.schedules.entity.Firing;
import io.workerrole.schedules.entity.Schedule;
import io.workerrole.schedules.entity.ScheduleKind;
import jakarta.enterprise.concurrent.LastExecution;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ZonedTrigger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One schedule armed on this server's {@link ManagedScheduledExecutorService}: it is both the
 * trigger that tells the executor when to run next and the task the executor runs then, which
 * fires the schedule for the instant the trigger planned.
 *
 * <p>A fixed-delay schedule's next firing depends on when its last run ended, which any server
 * may have run: while that run goes on, the trigger plans checks (no firing) every second or
 * every delay, whichever is shorter, and plans the firing once the run has ended.
 */
final class ArmedSchedule implements Runnable, ZonedTrigger {

    static final Duration LONGEST_CHECK = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger("io.workerrole.schedules");

    private final Schedule schedule;
    private final Optional<Timetable> timetable;
    private final ScheduleFirer firer;
    private final Clock clock;
    private final Duration grace;
    private final ZoneId zone;
    /** The instant the executor's next run fires for; null when it is only a check. */
    private volatile Instant planned;
    /** The instant the latest run fired for (fixed delay: not planned again, should recording it have failed). */
    private volatile Instant lastDue;
    private volatile Future<?> future;

    /**
     * @param grace how late a firing may run: instants further behind are dropped, not caught up
     */
    ArmedSchedule(Schedule schedule, ScheduleFirer firer, Clock clock, Duration grace) {
        this.schedule = schedule;
        this.timetable = Timetables.of(schedule);
        this.firer = firer;
        this.clock = clock;
        this.grace = grace;
        this.zone = schedule.definition().kind() == ScheduleKind.CRON ? ZoneId.of(schedule.definition().zone()) : ZoneOffset.UTC;
    }

    Schedule schedule() {
        return schedule;
    }

    /** @return the instant the next firing is due, if one is planned */
    Optional<Instant> nextFiring() {
        return Optional.ofNullable(planned);
    }

    /**
     * Hands the schedule to the executor, unless it has no firing left.
     *
     * @param handledUntil the firings up to this instant are handled (recorded, or past and
     *        dropped): the first one armed is the next after it
     * @return false if the schedule has no firing left (a one-shot that has run)
     */
    boolean arm(ManagedScheduledExecutorService executor, Instant handledUntil) {
        if (timetable.isPresent()) {
            planned = timetable.get().firstAfter(handledUntil).orElse(null);
            if (planned == null) {
                return false;
            }
        }
        future = executor.schedule(this, this);
        return true;
    }

    void disarm() {
        Future<?> armed = future;
        if (armed != null) {
            armed.cancel(false);
        }
        planned = null;
    }

    @Override
    public ZonedDateTime getNextRunTime(LastExecution lastExecution, ZonedDateTime taskScheduledTime) {
        Instant next = timetable.isPresent() ? nextOnTimetable(lastExecution) : nextAfterLastRun();
        return next == null ? null : ZonedDateTime.ofInstant(next, zone);
    }

    private Instant nextOnTimetable(LastExecution lastExecution) {
        if (lastExecution == null) {
            return planned; // planned by arm()
        }
        Instant previous = planned;
        if (previous == null) {
            return null;
        }
        // After a late run (an overloaded server), firings more than the grace behind are dropped, not caught up.
        Instant from = previous.isBefore(clock.instant().minus(grace)) ? clock.instant().minus(grace) : previous;
        planned = timetable.get().firstAfter(from).orElse(null);
        return planned;
    }

    /** Fixed delay: the delay after the last run ended; or a check soon, while it runs. */
    private Instant nextAfterLastRun() {
        Instant now = clock.instant();
        Duration delay = schedule.definition().interval();
        Instant check = now.plus(delay.compareTo(LONGEST_CHECK) < 0 ? delay : LONGEST_CHECK);
        try {
            Optional<Job> lastJob = firer.lastJob(schedule);
            if (lastJob.isPresent() && !lastJob.get().state().isFinal()) {
                planned = null;
                return check;
            }
            Optional<Firing> lastFiring = firer.lastFiring(schedule);
            if (lastFiring.isEmpty()) {
                planned = Timetables.start(schedule);
            } else {
                Instant end = lastFiring.get().scheduledFor();
                Instant finished = lastJob.map(Job::finishedAt).orElse(null);
                if (finished != null && finished.isAfter(end)) {
                    end = finished;
                }
                planned = end.plus(delay);
            }
            if (lastDue != null && !planned.isAfter(lastDue)) {
                planned = null; // that firing could not be recorded: try again after a pause, not in a loop
                return check;
            }
            return planned;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "[schedule " + schedule.name() + "] could not read its last run; checking again shortly", e);
            planned = null;
            return check;
        }
    }

    @Override
    public ZoneId getZoneId() {
        return zone;
    }

    @Override
    public void run() {
        Instant due = planned;
        if (due == null) {
            return; // a check of a fixed-delay schedule's running job
        }
        lastDue = due;
        try {
            firer.fire(schedule, due);
        } catch (RuntimeException e) {
            // Logged, not thrown: the executor goes on to the next firing either way.
            LOG.log(Level.SEVERE, "[schedule " + schedule.name() + "] firing of " + due + " failed; it is lost", e);
        }
    }
}
