package io.workerrole.platform;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The conditions of a WHERE clause and their arguments, added only for the values that are
 * given: a filter whose fields are all null keeps every row. Column names come from the code,
 * never from a request; values are always bound as parameters.
 */
public final class SqlConditions {

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> args = new ArrayList<>();

    /** Keeps the rows whose column equals the value; a null value keeps all. */
    public SqlConditions equal(String column, Object value) {
        return holds(column + " = ?", value);
    }

    /**
     * Keeps the rows for which the condition holds; a null value keeps all.
     *
     * @param condition SQL with one parameter, such as {@code created_at >= ?}
     */
    public SqlConditions holds(String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            args.add(value);
        }
        return this;
    }

    /** Keeps the rows whose column holds the text, in any case; a null text keeps all. */
    public SqlConditions contains(String column, String text) {
        return holds("LOWER(" + column + ") LIKE ? ESCAPE '\\'", text == null ? null : "%" + escapeLike(text.toLowerCase(Locale.ROOT)) + "%");
    }

    /** The conditions added to others already written: each starts with {@code AND}, and none is empty. */
    public String sql() {
        return sql.toString();
    }

    /**
     * Binds the arguments of the conditions in the order they were added.
     *
     * @return the next parameter's index
     */
    public int bind(PreparedStatement statement, int firstIndex) throws SQLException {
        int index = firstIndex;
        for (Object arg : args) {
            statement.setObject(index++, arg);
        }
        return index;
    }

    /** @return the same conditions with others added after them */
    SqlConditions and(SqlConditions more) {
        sql.append(more.sql);
        args.addAll(more.args);
        return this;
    }

    /** A LIKE pattern that matches the text literally: its own %, _ and \ are escaped. */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
