package io.workerrole.jobs.control.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tells a server that is gone from one that is between two sessions: a server whose presence
 * lock is free at every look counts as gone once the grace has passed since the first of those
 * looks. One look that finds it holding its lock again starts its count afresh. The grace covers a
 * server that lost its session but lives (the database restarted, the pool dropped the
 * connection): it notices within a look of its own, hands its running jobs back, and takes its
 * lock again, all before the others may take over.
 */
final class AbsenceWatch {

    private final Duration grace;
    /** Each server absent at every look so far, since the first of them. */
    private final Map<String, Instant> absentSince = new HashMap<>();

    AbsenceWatch(Duration grace) {
        this.grace = grace;
    }

    /**
     * One look.
     *
     * @param absent the servers whose lock is free now
     * @return those of them absent at every look for the grace at least: gone
     */
    Set<String> gone(Collection<String> absent, Instant now) {
        absentSince.keySet().retainAll(Set.copyOf(absent));
        absent.forEach(server -> absentSince.putIfAbsent(server, now));
        return absentSince.entrySet().stream()
                .filter(entry -> !entry.getValue().plus(grace).isAfter(now))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** Forgets what was seen: after this server's own presence was lost, its looks start again. */
    void reset() {
        absentSince.clear();
    }

    /** Forgets a server taken over: it comes back, if ever, as a new one. */
    void forget(String server) {
        absentSince.remove(server);
    }
}
