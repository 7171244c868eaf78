package io.workerrole.testing;

import io.workerrole.platform.ClusterLease;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Cluster leases in memory, judged by the test's clock as {@link ClusterLease} judges them in the
 * database (ClusterLeaseIT holds the two to the same rules); {@link #failing} makes every call
 * fail as an unreachable database does.
 */
public final class MemoryLeases extends ClusterLease {

    private record Lease(String owner, Instant until) {
    }

    private final Clock clock;
    private final Map<String, Lease> leases = new HashMap<>();
    private volatile boolean failing;

    public MemoryLeases(Clock clock) {
        super(null, clock);
        this.clock = clock;
    }

    /** @param failing whether every call fails, as on a database that cannot be reached */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** @return who holds the lease unexpired, or null */
    public synchronized String holder(String name) {
        Lease lease = leases.get(name);
        return lease == null || lease.until().isBefore(clock.instant()) ? null : lease.owner();
    }

    @Override
    public synchronized boolean hold(String name, String owner, Duration duration) throws SQLException {
        fail();
        Instant now = clock.instant();
        Lease lease = leases.get(name);
        if (lease != null && !lease.owner().equals(owner) && !lease.until().isBefore(now)) {
            return false;
        }
        leases.put(name, new Lease(owner, now.plus(duration)));
        return true;
    }

    @Override
    public synchronized boolean release(String name, String owner) throws SQLException {
        fail();
        Lease lease = leases.get(name);
        if (lease == null || !lease.owner().equals(owner)) {
            return false;
        }
        leases.remove(name);
        return true;
    }

    private void fail() throws SQLException {
        if (failing) {
            throw new SQLTransientConnectionException("the database cannot be reached");
        }
    }
}
