package io.workerrole.servers.entity;

import io.workerrole.role.entity.RolePhase;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * One server of the job store as its last heartbeat recorded it.
 *
 * @param serverId its {@code worker.serverId}, unique among the servers of one store
 * @param host the host name it runs on
 * @param startedAt when it began to beat (its role started running)
 * @param lastSeen when it last wrote its heartbeat, by its own clock
 * @param phase its role's phase then ({@code RUNNING}, {@code STOPPING}, ...). A name rather than
 *              the enum: servers of another version of the worker may share the store during an
 *              upgrade, and a phase unknown here must not make the whole list unreadable
 * @param frozen whether {@code worker.freeze} held it
 * @param running how many jobs it was running
 * @param concurrency its {@code worker.concurrency}
 * @param profile its role, version and job types
 */
public record ServerStatus(String serverId, String host, Instant startedAt, Instant lastSeen, String phase,
                           boolean frozen, int running, int concurrency, ServerProfile profile) {

    /**
     * The phases of a server that runs no more jobs, though its heartbeat is recent: it said it
     * stops (its last beat), or its start failed. Such a server no longer counts among those that
     * run its types.
     */
    public static final Set<String> ENDING_PHASES = Set.of(RolePhase.STOPPING.name(), RolePhase.STOPPED.name(), RolePhase.START_FAILED.name());

    /**
     * A server beats every third of the lease; one silent for a whole lease has died, or lost
     * the database, and its running jobs are being taken over by the others.
     *
     * @return whether the server is gone: its last heartbeat is older than the lease, as of now
     */
    public boolean goneAt(Instant now, Duration lease) {
        return lastSeen.plus(lease).isBefore(now);
    }
}
