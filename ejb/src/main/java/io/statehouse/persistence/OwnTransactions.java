package io.statehouse.persistence;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;


/**
 * Work on Statehouse's datasource in a transaction of its own, whatever the caller's: committed when
 * the work returns, rolled back when it throws (the caller's transaction is suspended meanwhile, and
 * its fate does not change what was committed here).
 */
@ApplicationScoped
public class OwnTransactions {

    /** The container-managed datasource of Statehouse's tables and the engine's; the server configuration decides H2 or PostgreSQL. */
    public static final String DATASOURCE = "java:jboss/datasources/StatehouseDS";

    /** Work on one connection; an {@link SQLException} rolls back and comes out as {@link DatabaseException}. */
    @FunctionalInterface
    public interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    /** A database error, with the statement's SQLState in its message. */
    public static final class DatabaseException extends RuntimeException {
        /** SQLState of a unique constraint's violation, in PostgreSQL and H2 alike. */
        public static final String UNIQUE_VIOLATION = "23505";

        private final String sqlState;

        public DatabaseException(SQLException cause) {
            super(cause.getMessage() + " (SQLState " + cause.getSQLState() + ")", cause);
            this.sqlState = cause.getSQLState();
        }

        public String sqlState() {
            return sqlState;
        }
    }

    @Resource(lookup = DATASOURCE)
    DataSource dataSource;

    @Transactional(TxType.REQUIRES_NEW)
    public <T> T run(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.on(connection);
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }
}
