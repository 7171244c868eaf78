package io.workerrole.jobs.control.dispatch;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClaimableTypesTest {

    private static final Set<String> RUNS = Set.of("echo", "sleep", "thumbnail");

    @Test
    void aServerClaimsTheTypesItRunsWhileNoneIsAtItsLimit() {
        assertEquals(RUNS, ClaimableTypes.claimable(RUNS, Set.of(), Map.of("thumbnail", 1, "echo", 7), type -> type.equals("thumbnail")
                ? Optional.of(2) : Optional.empty()));
    }

    @Test
    void aTypeAtItsOwnLimitOnThisServerIsLeftAloneUntilOneOfItsJobsEnds() {
        assertEquals(Set.of("echo", "sleep"), ClaimableTypes.claimable(RUNS, Set.of(), Map.of("thumbnail", 2), type -> type.equals("thumbnail")
                ? Optional.of(2) : Optional.empty()));
    }

    @Test
    void aTypeThisServerDoesNotRunIsNeverClaimedEvenWhenItsJobsStillRunHere() {
        // A type excluded while its jobs ran: they finish here, and no more are taken.
        assertEquals(Set.of("echo"), ClaimableTypes.claimable(Set.of("echo"), Set.of(), Map.of("thumbnail", 1), type -> Optional.empty()));
        assertEquals(Set.of(), ClaimableTypes.claimable(Set.of(), Set.of(), Map.of(), type -> Optional.empty()), "a server that runs nothing claims nothing");
    }

    @Test
    void aHeldTypeIsNotClaimedWhateverItsLimit() {
        // worker.freeze.types, or an operator's hold on the fleet
        assertEquals(Set.of("echo"), ClaimableTypes.claimable(RUNS, Set.of("sleep", "thumbnail", "elsewhere"), Map.of(), type -> Optional.empty()));
    }
}
