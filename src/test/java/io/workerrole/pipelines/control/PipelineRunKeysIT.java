package io.workerrole.pipelines.control;

import io.workerrole.api.Pipeline;
import io.workerrole.platform.Database;
import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline runs' idempotency keys on both databases: unique per caller (scope), found only in their own scope. */
class PipelineRunKeysIT extends StoreDatabaseTest {

    private static final Pipeline PIPELINE = Pipeline.named("keys").step("echo").build();

    PipelineRunKeysIT() {
        super("pipeline-run-keys-it");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRunsKeyIsFoundInItsCallersScopeOnlyAndAnotherCallerMayUseIt(String database) throws SQLException {
        PipelineStore store = new PipelineStore(new Database(db.get(database)));
        String key = UUID.randomUUID().toString();
        String alices = UUID.randomUUID().toString();
        String bobs = UUID.randomUUID().toString();
        Instant now = clock.instant();

        store.database().inTransaction(tx -> {
            store.insertRun(tx.connection(), alices, PIPELINE, "1", "http:alice", key, null, now);
            store.insertRun(tx.connection(), bobs, PIPELINE, "2", "http:bob", key, null, now);
            tx.commit();
            return null;
        });

        assertEquals(alices, store.byIdempotencyKey("http:alice", key).orElseThrow().id());
        assertEquals(bobs, store.byIdempotencyKey("http:bob", key).orElseThrow().id());
        assertTrue(store.byIdempotencyKey("jms:alice", key).isEmpty());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theSameCallersKeyCannotStartASecondRun(String database) {
        PipelineStore store = new PipelineStore(new Database(db.get(database)));
        String key = UUID.randomUUID().toString();
        Instant now = clock.instant();

        SQLException twice = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> store.database().inTransaction(tx -> {
            store.insertRun(tx.connection(), UUID.randomUUID().toString(), PIPELINE, "1", "http:alice", key, null, now);
            store.insertRun(tx.connection(), UUID.randomUUID().toString(), PIPELINE, "1", "http:alice", key, null, now);
            tx.commit();
            return null;
        }));
        assertTrue(Database.isUniqueViolation(twice), twice.toString());
    }
}
