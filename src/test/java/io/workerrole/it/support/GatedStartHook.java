package io.workerrole.it.support;

import io.workerrole.api.RoleHook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** A start hook that waits until the test decides whether the worker may start. */
@ApplicationScoped
public class GatedStartHook implements RoleHook {

    @Inject
    StartGate gate;

    @Inject
    Journal journal;

    @Override
    public boolean onStart() throws Exception {
        journal.record("start:gated:waiting");
        boolean decision = gate.decision();
        journal.record("start:gated:" + decision);
        return decision;
    }
}
