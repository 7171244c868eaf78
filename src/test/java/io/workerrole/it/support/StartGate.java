package io.workerrole.it.support;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The test's decision whether {@link GatedStartHook} lets the worker start. */
@ApplicationScoped
public class StartGate {

    private final CompletableFuture<Boolean> decision = new CompletableFuture<>();

    void decide(boolean start) {
        decision.complete(start);
    }

    boolean decision() throws InterruptedException, ExecutionException {
        return decision.get();
    }
}
