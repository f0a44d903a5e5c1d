package dev.parley.common;

import java.sql.SQLException;

/** The SQLSTATE behind a database failure, however deeply the JDBC and Spring layers wrapped it. */
public final class SqlStates {

    private SqlStates() {}

    /** The first SQLSTATE in the cause chain, or null when none carries one. */
    public static String of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
