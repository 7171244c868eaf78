package io.workerrole.jobs.boundary;

import java.util.Set;

/**
 * What the other servers sharing this job store run, as their heartbeats last said. Jobs asks it
 * (it does not know servers) to accept a job of a type this server does not run but another live
 * server does, and to tell why a queued job waits: the servers package implements it.
 */
public interface FleetTypes {

    /**
     * @return the job types the other live servers run (those whose heartbeat is within the lease
     *         and that have not said they stop), as of their last heartbeats; may be a moment old,
     *         and is read from the store at most about once a second however often it is asked
     */
    Set<String> otherServersTypes();
}
