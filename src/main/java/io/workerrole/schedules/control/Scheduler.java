package io.workerrole.schedules.control;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.schedules.entity.Firing;
import io.workerrole.schedules.entity.Schedule;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Keeps this server's timers in line with the stored schedules: arms each active schedule on the
 * {@link ManagedScheduledExecutorService}, re-arms it when it changes (on any server), disarms it
 * when it is paused or deleted, and on start records the firings missed while no server ran.
 * It also brings in server.xml's declarations on every pass.
 *
 * <p>It is not held by the freeze flag: a frozen worker's firings are recorded as skipped, so
 * that the history shows why nothing ran.
 */
@ApplicationScoped
@Named("scheduler")
public class Scheduler implements BackgroundTask {

    private static final Logger LOG = Logger.getLogger("io.workerrole.schedules");
    /** How often old history is pruned. */
    static final Duration PRUNE_INTERVAL = Duration.ofMinutes(10);

    @Resource
    ManagedScheduledExecutorService executor;

    @Inject
    ScheduleDefinitionStore store;

    @Inject
    FiringLedger ledger;

    @Inject
    ScheduleFirer firer;

    @Inject
    ServerXmlSchedules serverXml;

    @Inject
    ScheduleSettings settings;

    @Inject
    WorkerSettings workerSettings;

    @Inject
    Clock clock;

    private final Map<String, ArmedSchedule> armed = new ConcurrentHashMap<>();
    /** Schedules with no firing left (one-shots that ran), by name and version, so they are not re-armed each pass. */
    private final Map<String, Long> finished = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Instant nextPrune = Instant.MIN;

    @Override
    public boolean holdWhileFrozen() {
        return false;
    }

    @Override
    public void run(TaskContext context) throws InterruptedException {
        running = true;
        try {
            boolean starting = true;
            while (!context.stopRequested()) {
                serverXml.sync();
                reconcile(starting);
                starting = false;
                pruneHistory();
                context.awaitStop(settings.syncInterval());
            }
        } finally {
            running = false;
            disarmAll();
        }
    }

    /** Picks up a change made through this server's API at once, rather than at the next pass. */
    public void refresh() {
        if (running) {
            reconcile(false);
        }
    }

    /**
     * @param lastFiring the schedule's latest firing, or null
     * @return when the schedule fires next: as armed on this server, or else as its timetable
     *         says (a schedule armed on other servers only, such as one created a moment ago there)
     */
    public Optional<Instant> nextFiring(Schedule schedule, Firing lastFiring) {
        if (schedule.paused()) {
            return Optional.empty();
        }
        ArmedSchedule here = armed.get(schedule.name());
        if (here != null && here.schedule().version() == schedule.version()) {
            return here.nextFiring();
        }
        Instant now = clock.instant();
        Instant from = lastFiring != null && lastFiring.scheduledFor().isAfter(now) ? lastFiring.scheduledFor() : now;
        return Timetables.of(schedule).flatMap(timetable -> timetable.firstAfter(from));
    }

    /**
     * @param starting true on the first pass after the worker started: firings missed while it
     *        was down are recorded (and run once, if the schedule says so)
     */
    private synchronized void reconcile(boolean starting) {
        List<Schedule> schedules = store.list();
        Set<String> active = new HashSet<>();
        for (Schedule schedule : schedules) {
            if (schedule.paused()) {
                continue;
            }
            active.add(schedule.name());
            ArmedSchedule current = armed.get(schedule.name());
            boolean sameVersion = current != null && current.schedule().version() == schedule.version()
                    || Long.valueOf(schedule.version()).equals(finished.get(schedule.name()));
            if (!sameVersion) {
                disarm(schedule.name());
                arm(schedule, starting);
            }
        }
        Set.copyOf(armed.keySet()).stream().filter(name -> !active.contains(name)).forEach(this::disarm);
        finished.keySet().retainAll(active);
    }

    private void pruneHistory() {
        Instant now = clock.instant();
        if (now.isBefore(nextPrune)) {
            return;
        }
        nextPrune = now.plus(PRUNE_INTERVAL);
        int pruned = ledger.pruneHistory(now.minus(settings.historyRetention()));
        if (pruned > 0) {
            LOG.fine(() -> "Pruned " + pruned + " firing(s) older than " + settings.historyRetention() + " from the schedules' history");
        }
    }

    private void arm(Schedule schedule, boolean starting) {
        Instant now = clock.instant();
        Duration grace = settings.missedGrace();
        Instant cutoff = now.minus(grace);
        Optional<Firing> last = firer.lastFiring(schedule);
        // Firings before the last change (creation, edit, resume) are not owed.
        Instant handled = last.map(Firing::scheduledFor).filter(t -> t.isAfter(schedule.updatedAt())).orElse(schedule.updatedAt());
        Optional<Timetable> timetable = Timetables.of(schedule);
        // A server that never ran a per-server schedule has missed nothing.
        if (starting && timetable.isPresent() && (schedule.definition().singleton() || last.isPresent())) {
            Optional<MissedFiringCheck.Missed> missed = MissedFiringCheck.between(timetable.get(), handled, cutoff);
            if (missed.isPresent()) {
                firer.missed(schedule, missed.get());
                handled = missed.get().last();
            }
        }
        ArmedSchedule armedSchedule = new ArmedSchedule(schedule, firer, clock, grace);
        // Firings within the grace are still fired, late; the claim keeps a live server's and ours from both counting.
        if (armedSchedule.arm(executor, handled.isAfter(cutoff) ? handled : cutoff)) {
            armed.put(schedule.name(), armedSchedule);
            LOG.fine(() -> "[schedule " + schedule.name() + "] armed, next firing " + armedSchedule.nextFiring().map(Instant::toString).orElse("after the running job"));
        } else {
            finished.put(schedule.name(), schedule.version());
        }
    }

    private void disarm(String name) {
        ArmedSchedule schedule = armed.remove(name);
        if (schedule != null) {
            schedule.disarm();
        }
    }

    private void disarmAll() {
        Set.copyOf(armed.keySet()).forEach(this::disarm);
        finished.clear();
    }
}
