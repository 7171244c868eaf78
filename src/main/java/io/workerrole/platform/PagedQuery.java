package io.workerrole.platform;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * A SELECT over a table, filtered by {@link SqlConditions} on the values that are given, read one
 * page at a time: newest first by its {@code seq} column ({@link #page}), or in the order of a
 * unique key such as a name ({@link #pageByKey}). The query behind the API's lists.
 */
public final class PagedQuery {

    /** Reads the rows of a statement, its parameters set: with a table's row mapper, {@code s -> Jdbc.list(s, MAPPER)}. */
    @FunctionalInterface
    public interface Rows<T> {
        List<T> read(PreparedStatement statement) throws SQLException;
    }

    private final String select;
    private final SqlConditions conditions = new SqlConditions();

    /** @param select {@code SELECT columns FROM table} */
    public PagedQuery(String select) {
        this.select = select;
    }

    /** Keeps the rows whose column equals the value; a null value keeps all. */
    public PagedQuery where(String column, Object value) {
        conditions.equal(column, value);
        return this;
    }

    /** Keeps the rows that meet all these conditions too. */
    public PagedQuery where(SqlConditions more) {
        conditions.and(more);
        return this;
    }

    /**
     * @param beforeSeq only rows older than this position (the next page), or null
     * @return at most {@code limit} rows, newest first
     */
    public <T> List<T> page(Database database, int limit, Long beforeSeq, Rows<T> rows) throws SQLException {
        SqlConditions page = new SqlConditions().and(conditions).holds("seq < ?", beforeSeq);
        return read(database, page, " ORDER BY seq DESC FETCH FIRST " + limit + " ROWS ONLY", rows);
    }

    /**
     * @param keyColumn a unique column, the order of the pages
     * @param afterKey  only rows whose key comes after this one (the next page), or null
     * @return at most {@code limit} rows in the order of their keys
     */
    public <T> List<T> pageByKey(Database database, String keyColumn, int limit, String afterKey, Rows<T> rows) throws SQLException {
        SqlConditions page = new SqlConditions().and(conditions).holds(keyColumn + " > ?", afterKey);
        return read(database, page, " ORDER BY " + keyColumn + " FETCH FIRST " + limit + " ROWS ONLY", rows);
    }

    private <T> List<T> read(Database database, SqlConditions page, String order, Rows<T> rows) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(select + " WHERE 1 = 1" + page.sql() + order)) {
                page.bind(s, 1);
                return rows.read(s);
            }
        });
    }
}
