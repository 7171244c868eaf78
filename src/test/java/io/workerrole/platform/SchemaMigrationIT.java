package io.workerrole.platform;

import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start's short cut past Flyway, on Derby and PostgreSQL: a schema migrated to the newest
 * version is recognised as such (and a second migration applies nothing); one with a failed
 * migration in its history, or none at all, goes to Flyway.
 */
class SchemaMigrationIT extends StoreDatabaseTest {

    private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

    SchemaMigrationIT() {
        super("schema-migration-it");
    }

    @Test
    void latestIsTheNewestMigrationOfEachDatabase() throws IOException {
        for (String database : new String[]{"derby", "postgresql"}) {
            try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration", database))) {
                int newest = files.map(f -> VERSION.matcher(f.getFileName().toString()))
                        .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
                assertEquals(SchemaMigration.LATEST, String.valueOf(newest), database);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aSchemaMigratedToTheNewestVersionIsLeftAlone(String database) throws SQLException {
        try (Connection c = db.get(database).getConnection()) {
            assertTrue(SchemaMigration.isLatest(c));
        }
        assertEquals(0, SchemaMigration.migrate(db.get(database)));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFailedMigrationInTheHistoryGoesToFlyway(String database) throws SQLException {
        try (Connection c = db.get(database).getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("UPDATE \"" + SchemaMigration.HISTORY_TABLE + "\" SET \"success\" = false WHERE \"version\" = '1'");
            assertFalse(SchemaMigration.isLatest(c));
            c.rollback();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aDatabaseWithoutHistoryGoesToFlyway(String database) throws SQLException {
        try (Connection c = db.get(database).getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("DROP TABLE \"" + SchemaMigration.HISTORY_TABLE + "\"");
            assertFalse(SchemaMigration.isLatest(c));
            c.rollback();
        }
    }
}
