package io.workerrole.platform;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The JTA transaction of the calling thread, if it has one: work done for a caller inside its
 * transaction must count only if that transaction commits, and what follows from that work
 * (waking the dispatcher, events) must wait for the commit.
 */
@ApplicationScoped
public class CallerTransaction {

    @Resource
    TransactionSynchronizationRegistry registry;

    /** @return true if the calling thread is in a JTA transaction (active, or already marked for rollback) */
    public boolean active() {
        return registry.getTransactionStatus() != Status.STATUS_NO_TRANSACTION;
    }

    /** Runs the action once the calling thread's transaction has committed; never if it rolls back. */
    public void afterCommit(Runnable action) {
        registry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }
}
