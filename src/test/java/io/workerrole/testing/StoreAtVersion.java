package io.workerrole.testing;

import io.workerrole.platform.SchemaMigration;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A job store left at an earlier version of its schema, for tests of a migration: rows written
 * as that version had them, then {@link SchemaMigration#migrate} as a server of the new version
 * runs it. Embedded Derby in memory, or the local PostgreSQL in a schema of its own that
 * {@link #close()} drops.
 */
public final class StoreAtVersion implements AutoCloseable {

    private final DataSource dataSource;
    private final String pgSchema;

    private StoreAtVersion(DataSource dataSource, String pgSchema) {
        this.dataSource = dataSource;
        this.pgSchema = pgSchema;
    }

    /**
     * @param database "derby" or "postgresql"
     * @param version the last migration to apply (V{@code version}__...)
     */
    public static StoreAtVersion of(String database, String version) throws SQLException {
        String name = "migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        StoreAtVersion store;
        if (database.equals("derby")) {
            EmbeddedDataSource derby = new EmbeddedDataSource();
            derby.setDatabaseName("memory:" + name);
            derby.setCreateDatabase("create");
            store = new StoreAtVersion(derby, null);
        } else {
            LocalPostgres.execute("test", "CREATE SCHEMA " + name);
            PGSimpleDataSource pg = LocalPostgres.dataSource("test");
            pg.setCurrentSchema(name);
            store = new StoreAtVersion(pg, name);
        }
        Flyway.configure(SchemaMigration.class.getClassLoader()).dataSource(store.dataSource)
                .locations("classpath:db/migration/" + database).table(SchemaMigration.HISTORY_TABLE)
                .skipDefaultCallbacks(true).target(version).load().migrate();
        return store;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() throws SQLException {
        if (pgSchema != null) {
            LocalPostgres.execute("test", "DROP SCHEMA " + pgSchema + " CASCADE");
        }
    }
}
