package io.workerrole.role.control;

import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedExecutors;
import jakarta.enterprise.concurrent.ManagedTask;

import java.util.Map;
import java.util.concurrent.Future;

/**
 * Launches background tasks on the server's managed executor, marked long-running and named,
 * so that they carry the application's context and show up by name in the server's thread
 * dumps and hung-thread reports.
 */
public final class ManagedTaskLauncher implements TaskLauncher {

    private final ManagedExecutorService executor;

    public ManagedTaskLauncher(ManagedExecutorService executor) {
        this.executor = executor;
    }

    @Override
    public Future<?> launch(String taskName, Runnable body) {
        Map<String, String> properties = Map.of(
                ManagedTask.IDENTITY_NAME, "worker-role task " + taskName,
                ManagedTask.LONGRUNNING_HINT, "true");
        return executor.submit(ManagedExecutors.managedTask(body, properties, null));
    }
}
