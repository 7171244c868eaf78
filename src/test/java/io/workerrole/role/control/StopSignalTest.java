package io.workerrole.role.control;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopSignalTest {

    private final StopSignal signal = new StopSignal();

    @Test
    void aSignalRaisedForNowCanBeLowered() {
        signal.raiseForNow();
        assertTrue(signal.isRaised());

        assertTrue(signal.lower());
        assertFalse(signal.isRaised());
        assertFalse(signal.lower(), "nothing left to lower");
    }

    @Test
    void aSignalRaisedForGoodIsNeverLowered() {
        signal.raise();
        assertFalse(signal.lower());
        assertTrue(signal.isRaised());
    }

    @Test
    void raisingForGoodASignalRaisedForNowKeepsItRaised() {
        signal.raiseForNow();
        signal.raise();
        assertFalse(signal.lower());
        signal.raiseForNow();
        assertFalse(signal.lower(), "raising for now does not undo a raise for good");
        assertTrue(signal.isRaised());
    }

    @Test
    void listenersHearEachChangeOnce() {
        AtomicInteger changes = new AtomicInteger();
        signal.onChange(changes::incrementAndGet);

        signal.raiseForNow();
        signal.raiseForNow();
        signal.lower();
        signal.lower();
        signal.raiseForNow();
        signal.raise();

        assertEquals(3, changes.get(), "raised, lowered, raised again; the raise for good changes nothing visible");
    }

    @Test
    void aFailingListenerDoesNotKeepTheChangeFromTheOthers() {
        AtomicInteger changes = new AtomicInteger();
        signal.onChange(() -> {
            throw new IllegalStateException("broken listener");
        });
        signal.onChange(changes::incrementAndGet);

        signal.raise();

        assertEquals(1, changes.get());
        assertTrue(signal.isRaised());
    }

    @Test
    void aWaiterWokenByARaiseSeesItEvenIfTheSignalWasLoweredMeanwhile() throws Exception {
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return signal.await(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // Raise and lower under the signal's lock, so that the waiter cannot look in between.
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            synchronized (signal) {
                signal.raiseForNow();
                signal.lower();
            }
            return waiter.isDone();
        });

        assertTrue(waiter.get());
        assertFalse(signal.isRaised());
    }

    @Test
    void awaitTimesOutWhenNotRaised() throws InterruptedException {
        assertFalse(signal.await(Duration.ofMillis(20)));
    }
}
