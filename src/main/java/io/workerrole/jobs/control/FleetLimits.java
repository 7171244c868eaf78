package io.workerrole.jobs.control;

import io.workerrole.jobs.control.store.TypeLimitStore;
import io.workerrole.jobs.entity.FleetLimitSetting;
import io.workerrole.jobs.entity.LimitState;
import io.workerrole.jobs.entity.TypeLimit;
import io.workerrole.platform.Database;
import io.workerrole.platform.StoreOutage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The fleet-wide limits in force on job types, as this server sees them: its own
 * {@code worker.limits.TYPE.concurrency} and {@code .perSecond}, each field overridden by the
 * value an admin set over the API for the whole fleet ({@link TypeLimitStore}). Both are read
 * again at most once every {@link #REFRESH}, on the claiming thread, so that a limit set over the
 * API, or in a server.xml, applies within a second; the claim of an unlimited type costs a map
 * lookup. Until a read of the API's values succeeds again, the last ones read stay in force.
 *
 * <p>Also keeps what the last claims found of each limited type, to say why its jobs wait.
 */
@ApplicationScoped
public class FleetLimits {

    static final Duration REFRESH = Duration.ofSeconds(1);
    /** How long what a claim found of a type is taken to hold, to say why its jobs wait. */
    static final Duration SEEN_FOR = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(FleetLimits.class.getName());

    @Inject
    TypeLimitStore store;

    @Inject
    JobSettings settings;

    @Inject
    Clock clock;

    private volatile Map<String, TypeLimit> inForce = Map.of();
    private volatile Map<String, FleetLimitSetting> fromApi = Map.of();
    private volatile Instant readAt = Instant.MIN;
    private final Map<String, LimitState> seen = new ConcurrentHashMap<>();
    private final StoreOutage outage = new StoreOutage(LOG, "the fleet's limits set over the API stay as last read");

    /** @return the limits in force of those of the types that have one (an empty map when none has) */
    public Map<String, TypeLimit> of(Set<String> types) {
        Map<String, TypeLimit> all = inForce();
        if (all.isEmpty()) {
            return Map.of();
        }
        Map<String, TypeLimit> of = new HashMap<>();
        all.forEach((type, limit) -> {
            if (types.contains(type)) {
                of.put(type, limit);
            }
        });
        return of;
    }

    /** @return every limit in force, by type */
    public Map<String, TypeLimit> inForce() {
        if (Duration.between(readAt, clock.instant()).compareTo(REFRESH) >= 0) {
            read();
        }
        return inForce;
    }

    /** @return the limit this server's server.xml sets on the type, if any */
    public Optional<TypeLimit> ofServer(String type) {
        return TypeLimit.combine(null, null, settings.limitConcurrency(type).orElse(null), settings.limitPerSecond(type).orElse(null));
    }

    /** @return the types this server's server.xml limits */
    public Set<String> serverTypes() {
        return JobSettings.limitedTypes(ConfigProvider.getConfig().getPropertyNames());
    }

    /** Takes a limit just set or removed over the API into account at the next claim. */
    public void changed() {
        readAt = Instant.MIN;
    }

    /** Notes what a claim found of a limited type. */
    public void seen(LimitState state) {
        seen.put(state.type(), state);
    }

    /**
     * @return why a queued job of the type waits, if the last claim here that looked at the type
     *         (within {@link #SEEN_FOR}) found it at its fleet limit or its rate
     */
    public Optional<String> waitingReason(String type) {
        LimitState state = seen.get(type);
        if (state == null || !inForce.containsKey(type) || Duration.between(state.at(), clock.instant()).compareTo(SEEN_FOR) > 0) {
            return Optional.empty();
        }
        if (state.atConcurrency()) {
            return Optional.of("type " + type + " is at its fleet limit (" + state.limit().concurrency() + " running)");
        }
        if (state.atRate()) {
            return Optional.of("type " + type + " is at its rate (" + TypeLimit.rateText(state.limit().perSecond()) + "/s)");
        }
        return Optional.empty();
    }

    private synchronized void read() {
        if (Duration.between(readAt, clock.instant()).compareTo(REFRESH) < 0) {
            return; // another thread read them meanwhile
        }
        try {
            Map<String, FleetLimitSetting> api = new TreeMap<>();
            try {
                store.settings().forEach(setting -> api.put(setting.type(), setting));
                outage.succeeded();
            } catch (SQLException e) {
                if (!Database.isMissingTable(e)) { // a store of a version before the limits has none
                    throw e;
                }
            }
            fromApi = Map.copyOf(api);
        } catch (SQLException | RuntimeException e) {
            outage.failed(e);
        }
        Set<String> types = new TreeSet<>(serverTypes());
        types.addAll(fromApi.keySet());
        Map<String, TypeLimit> limits = new HashMap<>();
        for (String type : types) {
            FleetLimitSetting api = fromApi.get(type);
            TypeLimit.combine(api == null ? null : api.concurrency(), api == null ? null : api.perSecond(),
                            settings.limitConcurrency(type).orElse(null), settings.limitPerSecond(type).orElse(null))
                    .ifPresent(limit -> limits.put(type, limit));
        }
        inForce = Map.copyOf(limits);
        readAt = clock.instant();
    }
}
