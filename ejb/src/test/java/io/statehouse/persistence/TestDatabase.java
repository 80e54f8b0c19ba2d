package io.statehouse.persistence;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A database of one test with one of Statehouse's migrations applied: H2 in memory, or a schema of its
 * own on PostgreSQL in the {@code postgresql} profile (skipped, and said so, elsewhere). Several
 * connections are several nodes.
 */
final class TestDatabase implements AutoCloseable {

    private static final String POSTGRESQL_URL = System.getProperty("statehouse.test.postgresql.url", "");

    private final String vendor;
    private final String url;
    private final String drop;

    private TestDatabase(String vendor, String url, String drop) {
        this.vendor = vendor;
        this.url = url;
        this.drop = drop;
    }

    static Stream<String> vendors() {
        return Stream.of("H2", "PostgreSQL");
    }

    /** A new database of the vendor with the migration (a script of the db module) applied. */
    static TestDatabase open(String vendor, String migration, String what) throws SQLException, IOException {
        String id = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TestDatabase database;
        if (vendor.equals("H2")) {
            database = new TestDatabase(vendor, "jdbc:h2:mem:" + id + ";DB_CLOSE_DELAY=-1", null);
        } else {
            assumeTrue(!POSTGRESQL_URL.isBlank(), "SKIPPED: no PostgreSQL configured; run with -Ppostgresql to test " + what);
            try (Connection connection = DriverManager.getConnection(POSTGRESQL_URL, "postgres", ""); Statement statement = connection.createStatement()) {
                statement.execute("create schema " + id);
            }
            database = new TestDatabase(vendor, POSTGRESQL_URL + (POSTGRESQL_URL.contains("?") ? "&" : "?") + "currentSchema=" + id,
                    "drop schema " + id + " cascade");
        }
        try (InputStream script = TestDatabase.class.getClassLoader().getResourceAsStream("io/statehouse/db/statehouse/" + migration);
                Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            String sql = new String(script.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            for (String command : sql.split(";")) {
                if (!command.isBlank()) {
                    statement.execute(command);
                }
            }
        }
        return database;
    }

    Connection connect() throws SQLException {
        return vendor.equals("H2") ? DriverManager.getConnection(url, "sa", "") : DriverManager.getConnection(url, "postgres", "");
    }

    /** Work in a transaction of its own on a connection of its own, as {@link OwnTransactions} runs it. */
    <T> T inTransaction(OwnTransactions.Work<T> work) {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try {
                T result = work.on(connection);
                connection.commit();
                return result;
            } catch (SQLException e) {
                connection.rollback();
                throw new OwnTransactions.DatabaseException(e);
            } catch (RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new OwnTransactions.DatabaseException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        if (drop != null) {
            try (Connection connection = DriverManager.getConnection(POSTGRESQL_URL, "postgres", ""); Statement statement = connection.createStatement()) {
                statement.execute(drop);
            }
        }
    }
}
