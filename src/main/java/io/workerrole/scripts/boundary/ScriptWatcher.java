package io.workerrole.scripts.boundary;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import io.workerrole.scripts.control.ScriptCatalog;
import io.workerrole.scripts.control.ScriptsSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Looks at the scripts folder every {@code worker.scripts.scanInterval}, so that a script folder
 * added, changed or removed is taken on without a restart. Not held by a freeze: the freeze
 * holds the scripts' runs (their jobs, their tasks), and a frozen server still shows what is in
 * its folder.
 */
@ApplicationScoped
@Named("script-watcher")
public class ScriptWatcher implements BackgroundTask {

    @Inject
    ScriptCatalog catalog;

    @Inject
    ScriptsSettings settings;

    @Override
    public void run(TaskContext context) throws InterruptedException {
        do {
            catalog.sync();
        } while (!context.awaitStop(settings.scanInterval()));
    }

    @Override
    public boolean holdWhileFrozen() {
        return false;
    }
}
