package io.workerrole.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.sql.SQLException;
import java.util.List;

/**
 * A test of a store's SQL on both databases the worker supports ({@link StoreDatabases}), with a
 * clock the test moves. Parameterize each test with {@code @MethodSource("databases")}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreDatabaseTest {

    protected final MutableClock clock = new MutableClock();
    protected StoreDatabases db;
    private final String name;

    /** @param name names the test's Derby database and starts its PostgreSQL schema's name */
    protected StoreDatabaseTest(String name) {
        this.name = name;
    }

    @BeforeAll
    void openDatabases() throws SQLException {
        db = StoreDatabases.open(name);
    }

    @AfterAll
    void dropPostgresSchema() throws SQLException {
        db.close();
    }

    protected List<String> databases() {
        return StoreDatabases.NAMES;
    }
}
