package io.workerrole.platform;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A SELECT over a table, filtered by equality on columns whose value is given, read one page at
 * a time: newest first by its {@code seq} column ({@link #page}), or in the order of a unique key
 * such as a name ({@link #pageByKey}). The query behind the API's lists.
 */
public final class PagedQuery {

    /** Reads the rows of an executed statement. */
    @FunctionalInterface
    public interface Rows<T> {
        List<T> read(PreparedStatement statement) throws SQLException;
    }

    private final StringBuilder sql;
    private final List<Object> args = new ArrayList<>();

    /** @param select {@code SELECT columns FROM table} */
    public PagedQuery(String select) {
        this.sql = new StringBuilder(select).append(" WHERE 1 = 1");
    }

    /** Keeps the rows whose column equals the value; a null value keeps all. */
    public PagedQuery where(String column, Object value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
        return this;
    }

    /**
     * @param beforeSeq only rows older than this position (the next page), or null
     * @return at most {@code limit} rows, newest first
     */
    public <T> List<T> page(Database database, int limit, Long beforeSeq, Rows<T> rows) throws SQLException {
        StringBuilder page = new StringBuilder(sql);
        List<Object> pageArgs = new ArrayList<>(args);
        if (beforeSeq != null) {
            page.append(" AND seq < ?");
            pageArgs.add(beforeSeq);
        }
        page.append(" ORDER BY seq DESC FETCH FIRST ").append(limit).append(" ROWS ONLY");
        return read(database, page.toString(), pageArgs, rows);
    }

    /**
     * @param keyColumn a unique column, the order of the pages
     * @param afterKey  only rows whose key comes after this one (the next page), or null
     * @return at most {@code limit} rows in the order of their keys
     */
    public <T> List<T> pageByKey(Database database, String keyColumn, int limit, String afterKey, Rows<T> rows) throws SQLException {
        StringBuilder page = new StringBuilder(sql);
        List<Object> pageArgs = new ArrayList<>(args);
        if (afterKey != null) {
            page.append(" AND ").append(keyColumn).append(" > ?");
            pageArgs.add(afterKey);
        }
        page.append(" ORDER BY ").append(keyColumn).append(" FETCH FIRST ").append(limit).append(" ROWS ONLY");
        return read(database, page.toString(), pageArgs, rows);
    }

    private static <T> List<T> read(Database database, String sql, List<Object> args, Rows<T> rows) throws SQLException {
        return database.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < args.size(); i++) {
                    s.setObject(i + 1, args.get(i));
                }
                return rows.read(s);
            }
        });
    }
}
