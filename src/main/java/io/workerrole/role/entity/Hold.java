package io.workerrole.role.entity;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's hold on the whole fleet or on one job type ({@code PUT /api/fleet/freeze}): while
 * it holds, no server claims jobs of its scope, as if each had {@code worker.freeze} (for the
 * fleet) or the type in {@code worker.freeze.types}. Kept in the job store, so it holds every
 * server that shares it, and servers that start later.
 *
 * @param scope {@link #FLEET}, or a job type
 * @param heldBy who set it (the caller's name)
 * @param reason why, as the operator wrote it; may be null
 * @param heldAt when it was set
 * @param until when it lifts itself; null: when an operator lifts it
 */
public record Hold(String scope, String heldBy, String reason, Instant heldAt, Instant until) {

    /** The scope of a hold on the whole fleet. */
    public static final String FLEET = "*";

    public Hold {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(heldBy, "heldBy");
        Objects.requireNonNull(heldAt, "heldAt");
    }

    /** @return whether it holds the whole fleet, rather than one job type */
    public boolean fleet() {
        return FLEET.equals(scope);
    }

    /** @return whether it still holds at this time: it has no end, or its end has not come */
    public boolean holdsAt(Instant now) {
        return until == null || now.isBefore(until);
    }
}
