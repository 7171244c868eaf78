package io.workerrole.platform;

import io.workerrole.jobs.control.store.JobRecorder;
import io.workerrole.jobs.entity.Acceptance;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.jobs.entity.NewJob;
import io.workerrole.testing.StoreAtVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V11 on a store that has jobs and runs with keys from before it, on both databases: the
 * worker's own keys (storage, pipeline steps) go on being found, so nothing is started twice;
 * the keys of callers nobody recorded go to a scope no caller has, so no new key finds them.
 */
class IdempotencyScopeMigrationIT {

    @ParameterizedTest
    @ValueSource(strings = {"derby", "postgresql"})
    void keysFromBeforeV11KeepTheWorkersOwnScopesAndCallersKeysBelongToNobody(String database) throws SQLException, IOException {
        try (StoreAtVersion before = StoreAtVersion.of(database, "10")) {
            DataSource data = before.dataSource();
            Map<String, String> ids = new HashMap<>();
            try (Connection c = data.getConnection()) {
                for (JobSource source : new JobSource[]{JobSource.HTTP, JobSource.JMS, JobSource.CODE, JobSource.STORAGE, JobSource.PIPELINE}) {
                    ids.put(source.name(), insertJob(c, source, "old-" + source));
                }
                insertJob(c, JobSource.SCHEDULE, null);
                insertRun(c, "old-run");
            }

            assertEquals(migrationsFrom(11, database), SchemaMigration.migrate(data), "V11 and those after it");

            try (Connection c = data.getConnection()) {
                assertEquals(Map.of("HTTP", "unattributed", "JMS", "unattributed", "CODE", "unattributed",
                        "STORAGE", "storage", "PIPELINE", "pipeline", "SCHEDULE", "-"), jobScopes(c));
                assertEquals("unattributed", one(c, "SELECT idempotency_scope FROM worker_pipeline_run"));
            }
            JobRecorder recorder = new JobRecorder(new Database(data), Clock.systemUTC());
            Acceptance file = recorder.insert(job(JobSource.STORAGE, "old-STORAGE"));
            assertTrue(file.duplicate(), "a file taken before the upgrade is not taken again");
            assertEquals(ids.get("STORAGE"), file.job().id());
            Acceptance callers = recorder.insert(new NewJob(new JobRequest("echo", "1", "old-HTTP", null, null, null, null, false),
                    JobSource.HTTP, 4, 3, null, null, null, null, "http:admin"));
            assertFalse(callers.duplicate(), "no caller's key finds a job of before");
        }
    }

    /** @return how many migrations of the database's folder have a version of at least {@code first} */
    private static int migrationsFrom(int first, String database) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration", database))) {
            return (int) files.map(f -> f.getFileName().toString()).filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .filter(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))) >= first).count();
        }
    }

    private static NewJob job(JobSource source, String key) {
        return new NewJob(new JobRequest("echo", "1", key, null, null, null, null, false), source, 4, 3, null, null, null, null);
    }

    private static String insertJob(Connection c, JobSource source, String key) throws SQLException {
        String id = UUID.randomUUID().toString();
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement s = c.prepareStatement("INSERT INTO worker_job (id, type, state, priority, source, max_attempts, "
                + "idempotency_key, run_after, enqueued_at, created_at, updated_at) VALUES (?, 'echo', 'QUEUED', 4, ?, 3, ?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, source.name());
            s.setString(3, key);
            for (int i = 4; i <= 7; i++) {
                s.setTimestamp(i, now);
            }
            s.executeUpdate();
        }
        return id;
    }

    private static void insertRun(Connection c, String key) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement s = c.prepareStatement("INSERT INTO worker_pipeline_run (id, pipeline, definition, state, step, attempt, "
                + "idempotency_key, checked_at, created_at, updated_at) VALUES (?, 'p', '{}', 'RUNNING', 0, 0, ?, ?, ?, ?)")) {
            s.setString(1, UUID.randomUUID().toString());
            s.setString(2, key);
            s.setTimestamp(3, now);
            s.setTimestamp(4, now);
            s.setTimestamp(5, now);
            s.executeUpdate();
        }
    }

    /** @return each source's scope ("-" for none) */
    private static Map<String, String> jobScopes(Connection c) throws SQLException {
        Map<String, String> scopes = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT source, idempotency_scope FROM worker_job");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                scopes.put(rs.getString(1).toUpperCase(Locale.ROOT), rs.getString(2) == null ? "-" : rs.getString(2));
            }
        }
        return scopes;
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
