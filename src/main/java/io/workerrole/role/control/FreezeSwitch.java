package io.workerrole.role.control;

import io.workerrole.api.FreezeChanged;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.role.entity.Hold;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Clock;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whether this server is frozen, and which job types it holds: the admins' freeze flag
 * ({@code worker.freeze} in server.xml) and {@code worker.freeze.types}, read live, joined with
 * the holds an operator put on the whole fleet or on types ({@link FleetHolds}). Fires
 * {@link FreezeChanged} when the freeze flips, whichever of them flipped it.
 */
@ApplicationScoped
public class FreezeSwitch {

    private static final Logger LOG = Logger.getLogger(FreezeSwitch.class.getName());

    @Inject
    WorkerSettings settings;

    @Inject
    FleetHolds fleet;

    @Inject
    Event<FreezeChanged> changes;

    @Inject
    Clock clock;

    private volatile boolean flag;
    private volatile boolean frozen;
    private volatile SortedSet<String> heldTypes = Collections.emptySortedSet();

    /**
     * @return whether the server's freeze is known: {@code worker.freeze} is set, or a fleet hold
     *         is in force. The shipped server.xml sets the flag; it is unset while Liberty shuts
     *         down (it takes every server.xml variable away seconds before the application
     *         stops), when {@link #refresh()} reads it as false.
     */
    public boolean isSet() {
        return ConfigProvider.getConfig().getOptionalValue(WorkerSettings.FREEZE, String.class).isPresent() || fleet.fleetHold().isPresent();
    }

    /** Reads the fleet's holds on the calling thread: once, before the role's first look at its freeze. */
    public void readFleetNow() {
        fleet.readNow();
    }

    /** @return the freeze as last noticed by {@link #refresh()} */
    public boolean isFrozen() {
        return frozen;
    }

    /** @return the hold on the whole fleet in force, if that is (also) what freezes this server */
    public Optional<Hold> fleetHold() {
        return fleet.fleetHold();
    }

    /** @return whether {@code worker.freeze} holds this server, as last read */
    public boolean flag() {
        return flag;
    }

    /** @return the job types this server claims nothing of now, by name: {@code worker.freeze.types} and the fleet's type holds */
    public SortedSet<String> heldTypes() {
        return heldTypes;
    }

    /**
     * Reads the flag, the held types and the fleet's holds (again, off this thread, if due); if the
     * freeze changed, logs it and fires {@link FreezeChanged}. An unreadable flag keeps its state.
     *
     * @return whether the worker is frozen now
     */
    public boolean refresh() {
        fleet.refreshIfDue();
        flag = settings.freeze().orElse(flag);
        Optional<Hold> hold = fleet.fleetHold();
        boolean now = flag || hold.isPresent();
        SortedSet<String> types = new TreeSet<>(settings.freezeTypes());
        types.addAll(fleet.heldTypes());
        if (!types.equals(heldTypes)) {
            SortedSet<String> before = heldTypes;
            heldTypes = Collections.unmodifiableSortedSet(types);
            LOG.info(() -> "Job types held on this server: " + listed(types) + " (were " + listed(before) + ")");
        }
        if (now != frozen) {
            frozen = now;
            if (now) {
                LOG.info("Worker frozen (" + why(hold) + "): no new work starts until it is lifted");
            } else {
                LOG.info("Worker resumed (worker.freeze=false, no fleet freeze)");
            }
            try {
                changes.fire(new FreezeChanged(now, clock.instant()));
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "An observer of the freeze change failed", e);
            }
        }
        return now;
    }

    private static String listed(Set<String> types) {
        return types.isEmpty() ? "none" : String.join(", ", types);
    }

    /** @return what freezes the server, for the log: the flag, the fleet's hold (by whom, until when, why), or both */
    public String why(Optional<Hold> hold) {
        String fleetHold = hold.map(h -> "fleet freeze by " + h.heldBy() + (h.until() == null ? "" : " until " + h.until())
                + (h.reason() == null ? "" : ": " + h.reason())).orElse(null);
        if (flag && fleetHold != null) {
            return "worker.freeze=true, and a " + fleetHold;
        }
        return fleetHold != null ? fleetHold : "worker.freeze=true";
    }
}
