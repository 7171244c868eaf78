package io.workerrole.platform;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The query helper on embedded Derby: rows mapped in the order of the result, the first row or
 * none, updates counted; the caller's transaction left to the caller; the driver's exceptions
 * passed on as thrown; and every statement and result set closed, also when a mapper fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcTest {

    private record Item(int id, String name) {
    }

    private static final Jdbc.RowMapper<Item> ITEM = rs -> new Item(rs.getInt("id"), rs.getString("name"));

    private final EmbeddedDataSource dataSource = new EmbeddedDataSource();
    private final Database database = new Database(dataSource);

    @BeforeAll
    void createTable() throws SQLException {
        dataSource.setDatabaseName("memory:jdbc-test");
        dataSource.setCreateDatabase("create");
        database.withConnection(c -> Jdbc.update(c, "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(20))", Jdbc.Parameters.NONE));
    }

    @BeforeEach
    void threeItems() throws SQLException {
        database.withConnection(c -> {
            Jdbc.update(c, "DELETE FROM item", Jdbc.Parameters.NONE);
            for (Item item : List.of(new Item(1, "one"), new Item(2, "two"), new Item(3, "three"))) {
                insert(c, item);
            }
            return null;
        });
    }

    private static int insert(Connection c, Item item) throws SQLException {
        return Jdbc.update(c, "INSERT INTO item (id, name) VALUES (?, ?)", s -> {
            s.setInt(1, item.id());
            s.setString(2, item.name());
        });
    }

    @Test
    void queryMapsEveryRowInTheOrderOfTheResult() throws SQLException {
        List<Item> items = database.withConnection(c -> Jdbc.query(c, "SELECT id, name FROM item WHERE id >= ? ORDER BY id DESC",
                s -> s.setInt(1, 2), ITEM));
        assertEquals(List.of(new Item(3, "three"), new Item(2, "two")), items);
    }

    @Test
    void queryOfNoRowsIsAnEmptyList() throws SQLException {
        assertEquals(List.of(), database.withConnection(c -> Jdbc.query(c, "SELECT id, name FROM item WHERE id > 3", Jdbc.Parameters.NONE, ITEM)));
    }

    @Test
    void queryOneTakesTheFirstRowOrNone() throws SQLException {
        String sql = "SELECT id, name FROM item WHERE id >= ? ORDER BY id";
        assertEquals(Optional.of(new Item(2, "two")), database.withConnection(c -> Jdbc.queryOne(c, sql, s -> s.setInt(1, 2), ITEM)));
        assertEquals(Optional.empty(), database.withConnection(c -> Jdbc.queryOne(c, sql, s -> s.setInt(1, 4), ITEM)));
    }

    @Test
    void existsTellsWhetherTheQueryFindsARow() throws SQLException {
        String sql = "SELECT 1 FROM item WHERE name = ?";
        boolean two = database.withConnection(c -> Jdbc.exists(c, sql, s -> s.setString(1, "two")));
        boolean four = database.withConnection(c -> Jdbc.exists(c, sql, s -> s.setString(1, "four")));
        assertTrue(two);
        assertFalse(four);
    }

    @Test
    void forEachHandsOverEveryRowInOrder() throws SQLException {
        Map<Integer, String> read = new LinkedHashMap<>();
        database.withConnection(c -> {
            Jdbc.forEach(c, "SELECT id, name FROM item ORDER BY name", Jdbc.Parameters.NONE, rs -> read.put(rs.getInt(1), rs.getString(2)));
            return null;
        });
        assertEquals(List.of(1, 3, 2), List.copyOf(read.keySet()));
    }

    @Test
    void updateCountsTheRowsItChanged() throws SQLException {
        int renamed = database.withConnection(c -> Jdbc.update(c, "UPDATE item SET name = ? WHERE id < ?", s -> {
            s.setString(1, "small");
            s.setInt(2, 3);
        }));
        int deleted = database.withConnection(c -> Jdbc.update(c, "DELETE FROM item WHERE id = 9", Jdbc.Parameters.NONE));
        assertEquals(2, renamed);
        assertEquals(0, deleted);
    }

    @Test
    void workInsideTheCallersTransactionIsTheCallersToEnd() throws SQLException {
        database.inTransaction(tx -> {
            insert(tx.connection(), new Item(4, "four"));
            assertTrue(Jdbc.exists(tx.connection(), "SELECT 1 FROM item WHERE id = 4", Jdbc.Parameters.NONE));
            tx.rollback();
            return null;
        });
        boolean kept = database.withConnection(c -> Jdbc.exists(c, "SELECT 1 FROM item WHERE id = 4", Jdbc.Parameters.NONE));
        assertFalse(kept);
    }

    @Test
    void theDriversExceptionIsPassedOnWithItsSqlState() {
        SQLException e = assertThrows(SQLException.class, () -> database.withConnection(c -> insert(c, new Item(1, "again"))));
        assertTrue(Database.isUniqueViolation(e), e.getSQLState());
    }

    @Test
    void statementsAndResultSetsAreClosedAlsoWhenAMapperFails() throws SQLException {
        List<AutoCloseable> opened = new ArrayList<>();
        List<AutoCloseable> closed = new ArrayList<>();
        database.withConnection(raw -> {
            Connection c = tracking(Connection.class, raw, opened, closed);
            Jdbc.query(c, "SELECT id, name FROM item", Jdbc.Parameters.NONE, ITEM);
            Jdbc.queryOne(c, "SELECT id, name FROM item", Jdbc.Parameters.NONE, ITEM);
            Jdbc.exists(c, "SELECT 1 FROM item", Jdbc.Parameters.NONE);
            Jdbc.forEach(c, "SELECT id FROM item", Jdbc.Parameters.NONE, rs -> { });
            Jdbc.update(c, "UPDATE item SET name = name", Jdbc.Parameters.NONE);
            assertThrows(SQLException.class, () -> Jdbc.query(c, "SELECT id FROM item", Jdbc.Parameters.NONE, rs -> {
                throw new SQLException("mapper fails");
            }));
            assertThrows(SQLException.class, () -> Jdbc.update(c, "UPDATE item SET name = ?", s -> {
                throw new SQLException("setter fails");
            }));
            return null;
        });
        assertEquals(12, opened.size(), "7 statements, 5 result sets");
        Set<AutoCloseable> closedOnce = Collections.newSetFromMap(new IdentityHashMap<>());
        closedOnce.addAll(closed);
        assertEquals(closed.size(), closedOnce.size(), "none closed twice");
        assertTrue(opened.stream().allMatch(closedOnce::contains), "every one closed");
    }

    /** Wraps a JDBC object so that the statements and result sets made through it are counted when made and when closed. */
    @SuppressWarnings("unchecked")
    private static <T> T tracking(Class<T> type, T target, List<AutoCloseable> opened, List<AutoCloseable> closed) {
        return (T) Proxy.newProxyInstance(JdbcTest.class.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (method.getName().equals("close")) {
                closed.add((AutoCloseable) proxy);
            }
            if (result instanceof PreparedStatement statement) {
                PreparedStatement tracked = tracking(PreparedStatement.class, statement, opened, closed);
                opened.add(tracked);
                return tracked;
            }
            if (result instanceof ResultSet rs) {
                ResultSet tracked = tracking(ResultSet.class, rs, opened, closed);
                opened.add(tracked);
                return tracked;
            }
            return result;
        });
    }
}
