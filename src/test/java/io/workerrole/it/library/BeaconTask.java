package io.workerrole.it.library;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import javax.naming.InitialContext;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;

/**
 * A singleton task, packaged outside the WAR, that says where it runs: five times a second it
 * records its server's process id and the database's time in {@code probe.beacon}, a table of
 * the test's own beside the job store's.
 */
@ApplicationScoped
@Named("beacon")
public class BeaconTask implements BackgroundTask {

    @Override
    public boolean singleton() {
        return true;
    }

    @Override
    public void run(TaskContext context) throws Exception {
        DataSource store = (DataSource) new InitialContext().lookup("jdbc/workerPostgres");
        long pid = ProcessHandle.current().pid();
        do {
            try (Connection c = store.getConnection();
                 PreparedStatement s = c.prepareStatement("INSERT INTO probe.beacon (pid, at) VALUES (?, clock_timestamp())")) {
                s.setLong(1, pid);
                s.executeUpdate();
            }
        } while (!context.awaitStop(Duration.ofMillis(200)));
    }
}
