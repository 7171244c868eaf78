package io.workerrole.platform;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A SELECT over a table with a {@code seq} column, filtered by equality on columns whose value
 * is given, read newest first one page at a time: the query behind the API's lists.
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
        return database.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(page.toString())) {
                for (int i = 0; i < pageArgs.size(); i++) {
                    s.setObject(i + 1, pageArgs.get(i));
                }
                return rows.read(s);
            }
        });
    }
}
