package io.workerrole.role.control;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A one-way flag that waiting threads can sleep on and that wakes them when raised. */
public final class StopSignal {

    private final CountDownLatch raised = new CountDownLatch(1);

    public void raise() {
        raised.countDown();
    }

    public boolean isRaised() {
        return raised.getCount() == 0;
    }

    /** @return true if raised before the timeout passed */
    public boolean await(Duration timeout) throws InterruptedException {
        return raised.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
