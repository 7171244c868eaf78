package io.workerrole.it.support;

import io.workerrole.api.RoleHook;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Priority 2: starts after {@link FirstHook} and stops before it. */
@ApplicationScoped
@Priority(2)
public class SecondHook implements RoleHook {

    @Inject
    Journal journal;

    @Override
    public boolean onStart() {
        journal.record("start:second");
        return true;
    }
}
