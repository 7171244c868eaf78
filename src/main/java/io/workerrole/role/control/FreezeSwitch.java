package io.workerrole.role.control;

import io.workerrole.api.FreezeChanged;
import io.workerrole.platform.WorkerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admins' freeze flag ({@code worker.freeze} in server.xml), read live, and the
 * {@link FreezeChanged} event fired when it flips.
 */
@ApplicationScoped
public class FreezeSwitch {

    private static final Logger LOG = Logger.getLogger(FreezeSwitch.class.getName());

    @Inject
    WorkerSettings settings;

    @Inject
    Event<FreezeChanged> changes;

    @Inject
    Clock clock;

    private volatile boolean frozen;

    /**
     * @return whether {@code worker.freeze} is set at all. The shipped server.xml sets it; it is
     *         unset while Liberty shuts down (it takes every server.xml variable away seconds before
     *         the application stops), when {@link #refresh()} reads it as false.
     */
    public boolean isSet() {
        return ConfigProvider.getConfig().getOptionalValue(WorkerSettings.FREEZE, String.class).isPresent();
    }

    /** @return the flag as last noticed by {@link #refresh()} */
    public boolean isFrozen() {
        return frozen;
    }

    /**
     * Reads the flag; if it changed, logs it and fires {@link FreezeChanged}. An unreadable
     * value keeps the current state.
     *
     * @return whether the worker is frozen now
     */
    public boolean refresh() {
        boolean now = settings.freeze().orElse(frozen);
        if (now != frozen) {
            frozen = now;
            if (now) {
                LOG.info("Worker frozen (worker.freeze=true): no new work starts until it is set back to false");
            } else {
                LOG.info("Worker resumed (worker.freeze=false)");
            }
            try {
                changes.fire(new FreezeChanged(now, clock.instant()));
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "An observer of the freeze change failed", e);
            }
        }
        return now;
    }
}
