package io.statehouse.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings a database to the schema this build of Statehouse expects, or checks that it already is.
 *
 * <p>Two migration histories are kept: {@value #CAMUNDA_HISTORY_TABLE} for the Camunda engine's
 * tables (its create scripts at the pinned version, later its upgrade scripts) and
 * {@value #STATEHOUSE_HISTORY_TABLE} for Statehouse's own tables. The server applies them at start
 * unless the operator applies them by hand; {@link #main(String[])} is that hand.
 */
public final class DatabaseMigrations {

    public static final String CAMUNDA_HISTORY_TABLE = "sh_camunda_schema_history";
    public static final String STATEHOUSE_HISTORY_TABLE = "sh_schema_history";

    private static final Logger LOG = Logger.getLogger(DatabaseMigrations.class.getName());
    private static final String CAMUNDA_LOCATION = "classpath:io/statehouse/db/camunda/";
    private static final String STATEHOUSE_LOCATION = "classpath:io/statehouse/db/statehouse";

    private final List<Flyway> histories;

    private DatabaseMigrations(Consumer<FluentConfiguration> connection) {
        String vendor = vendorOf(connected(connection).getDataSource());
        this.histories = List.of(
                history(connection, CAMUNDA_HISTORY_TABLE, CAMUNDA_LOCATION + vendor),
                history(connection, STATEHOUSE_HISTORY_TABLE, STATEHOUSE_LOCATION));
    }

    /** Migrations for the database behind {@code dataSource}. */
    public static DatabaseMigrations on(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        return new DatabaseMigrations(config -> config.dataSource(dataSource));
    }

    /** Migrations for the database at a JDBC URL, for tools outside the server. */
    public static DatabaseMigrations on(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl must not be null");
        return new DatabaseMigrations(config -> config.dataSource(jdbcUrl, user, password));
    }

    /**
     * Applies every pending migration, Camunda's first.
     *
     * @return the migrations applied now, as "table: version description", empty when none was pending
     */
    public List<String> migrate() {
        List<String> applied = new ArrayList<>();
        for (Flyway flyway : histories) {
            MigrateResult result = flyway.migrate();
            String table = flyway.getConfiguration().getTable();
            result.migrations.forEach(m -> applied.add(table + ": " + m.version + " " + m.description));
        }
        return applied;
    }

    /**
     * Fails with a {@link SchemaMismatchException} naming every pending or failed migration when the
     * database is not at the schema this build expects.
     */
    public void validate() {
        List<String> problems = new ArrayList<>();
        for (Flyway flyway : histories) {
            String table = flyway.getConfiguration().getTable();
            for (MigrationInfo info : flyway.info().all()) {
                if (!info.getState().isApplied() || info.getState().isFailed()) {
                    problems.add(table + ": " + info.getVersion() + " " + info.getDescription()
                            + " is " + info.getState().getDisplayName());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SchemaMismatchException("The database schema is not at the version this Statehouse expects: "
                    + String.join("; ", problems)
                    + ". Apply the migrations (see README, 'Database migrations') or let the server apply them.");
        }
    }

    /** The folder of Camunda's scripts for the database: Camunda's SQL differs per database. */
    private static String vendorOf(DataSource dataSource) {
        String product;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to the database to migrate it: " + e.getMessage(), e);
        }
        return switch (product) {
            case "H2" -> "h2";
            case "PostgreSQL" -> "postgresql";
            default -> throw new IllegalStateException("Statehouse supports H2 and PostgreSQL; the database is " + product);
        };
    }

    private static FluentConfiguration connected(Consumer<FluentConfiguration> connection) {
        FluentConfiguration config = Flyway.configure(DatabaseMigrations.class.getClassLoader());
        connection.accept(config);
        return config;
    }

    private static Flyway history(Consumer<FluentConfiguration> connection, String table, String location) {
        return connected(connection)
                .locations(location)
                .table(table)
                // Camunda's scripts are plain SQL: nothing in them is a placeholder.
                .placeholderReplacement(false)
                // Each history starts from nothing, also in a database whose schema already holds
                // tables of others (or of the other history).
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .validateMigrationNaming(true)
                .load();
    }

    /**
     * Applies the migrations to the database named by the system properties {@code statehouse.db.url},
     * {@code statehouse.db.user} and {@code statehouse.db.password}.
     */
    public static void main(String[] args) {
        String url = System.getProperty("statehouse.db.url");
        if (url == null || url.isBlank()) {
            System.err.println("Set -Dstatehouse.db.url=jdbc:... (and statehouse.db.user, statehouse.db.password).");
            System.exit(2);
        }
        List<String> applied = on(url, System.getProperty("statehouse.db.user"),
                System.getProperty("statehouse.db.password")).migrate();
        LOG.info(applied.isEmpty() ? "The schema was up to date." : "Applied: " + String.join(", ", applied));
    }
}
