package io.workerrole.it.support;

import io.workerrole.api.RoleHook;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Priority 1: starts first and stops last. */
@ApplicationScoped
@Priority(1)
public class FirstHook implements RoleHook {

    @Inject
    Journal journal;

    @Override
    public boolean onStart() {
        journal.record("start:first");
        return true;
    }
}
