package io.workerrole.jobs.control.store;

import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.jobs.entity.LogLine;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.platform.Database;
import io.workerrole.testing.JobStores;
import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The kept log lines of jobs ({@link JobLogs}) on both databases: appended in order, trimmed to the last ones, deleted with their job. */
class JobLogStoreIT extends StoreDatabaseTest {

    JobLogStoreIT() {
        super("worker-job-log-it");
    }

    private String newJob(String database) throws SQLException {
        JobStores store = JobStores.on(db.get(database), clock);
        return store.recorder().insert(new NewJob(new JobRequest("logging", null, null, null, null, null, null, false),
                JobSource.HTTP, 4, 3, null, null, null, null)).job().id();
    }

    private List<LogLine> lines(int attempt, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> new LogLine(clock.instant(), attempt, "INFO", "line " + i)).toList();
    }

    private static List<String> messages(List<LogLine> lines) {
        return lines.stream().map(LogLine::message).toList();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void linesAppendedInBatchesAreReadInOrderWithTheirAttempts(String database) throws SQLException {
        JobLogs logs = new JobLogs(new Database(db.get(database)));
        String id = newJob(database);

        logs.append(id, lines(1, 0, 2), 10);
        logs.append(id, List.of(new LogLine(clock.instant(), 1, "ERROR", "x".repeat(5000))), 10);
        logs.append(id, lines(2, 2, 3), 10);

        List<LogLine> read = logs.read(id);
        assertEquals(List.of(1, 1, 1, 2), read.stream().map(LogLine::attempt).toList());
        assertEquals(List.of("INFO", "INFO", "ERROR", "INFO"), read.stream().map(LogLine::level).toList());
        assertEquals(JobLogs.MAX_MESSAGE_LENGTH, read.get(2).message().length(), "a long line is cut, not refused");
        assertEquals(List.of(), logs.read(newJob(database)), "another job's log is its own");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aJobKeepsOnlyItsLastLinesHoweverManyItWrites(String database) throws SQLException {
        JobLogs logs = new JobLogs(new Database(db.get(database)));
        String id = newJob(database);
        String other = newJob(database);
        logs.append(other, lines(1, 0, 3), 5);

        logs.append(id, lines(1, 0, 4), 5);
        logs.append(id, lines(1, 4, 7), 5);
        assertEquals(List.of("line 2", "line 3", "line 4", "line 5", "line 6"), messages(logs.read(id)));
        logs.append(id, lines(1, 7, 20), 5);
        assertEquals(List.of("line 15", "line 16", "line 17", "line 18", "line 19"), messages(logs.read(id)), "a batch longer than kept");
        assertEquals(3, logs.read(other).size(), "trimming one job leaves the others' lines alone");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aDeletedJobTakesItsLinesWithIt(String database) throws SQLException {
        JobLogs logs = new JobLogs(new Database(db.get(database)));
        String id = newJob(database);
        logs.append(id, lines(1, 0, 3), 5);

        try (Connection c = db.get(database).getConnection();
             PreparedStatement s = c.prepareStatement("DELETE FROM worker_job WHERE id = ?")) {
            s.setString(1, id);
            assertEquals(1, s.executeUpdate());
        }
        assertEquals(List.of(), logs.read(id));
    }
}
