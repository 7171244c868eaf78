package io.workerrole.testing;

import io.workerrole.platform.SchemaMigration;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * The two databases the stores run on, for tests of their SQL: embedded Derby in memory, and
 * the local PostgreSQL in a schema of its own that {@link #close()} drops. Both get the schema
 * from the same Flyway migrations the worker runs.
 */
public final class StoreDatabases implements AutoCloseable {

    /** The names {@link #get} takes, for parameterized tests. */
    public static final List<String> NAMES = List.of("derby", "postgresql");

    private final DataSource derby;
    private final DataSource postgres;
    private final String pgSchema;

    private StoreDatabases(DataSource derby, DataSource postgres, String pgSchema) {
        this.derby = derby;
        this.postgres = postgres;
        this.pgSchema = pgSchema;
    }

    /** @param name a name for the Derby database and the start of the PostgreSQL schema's */
    public static StoreDatabases open(String name) throws SQLException {
        EmbeddedDataSource embedded = new EmbeddedDataSource();
        embedded.setDatabaseName("memory:" + name);
        embedded.setCreateDatabase("create");
        SchemaMigration.migrate(embedded);

        String schema = name.replace('-', '_') + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        LocalPostgres.execute("test", "CREATE SCHEMA " + schema);
        PGSimpleDataSource pg = LocalPostgres.dataSource("test");
        pg.setCurrentSchema(schema);
        SchemaMigration.migrate(pg);
        return new StoreDatabases(embedded, pg, schema);
    }

    /** @param database "derby" or "postgresql" */
    public DataSource get(String database) {
        return database.equals("derby") ? derby : postgres;
    }

    @Override
    public void close() throws SQLException {
        LocalPostgres.execute("test", "DROP SCHEMA " + pgSchema + " CASCADE");
    }
}
