package io.statehouse.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.junit.jupiter.api.Test;

class DatabaseMigrationsTest {

    private static final String POSTGRESQL_URL = System.getProperty("statehouse.test.postgresql.url", "");

    @Test
    void migratedH2SchemaIsTheOneTheEngineExpects() {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        migrateAndStartEngine(url, "sa", "");
    }

    @Test
    void migratedPostgresqlSchemaIsTheOneTheEngineExpects() throws SQLException {
        assumeTrue(!POSTGRESQL_URL.isBlank(),
                "SKIPPED: no PostgreSQL configured; run with -Ppostgresql to test the production database");
        String schema = "sh_migration_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(POSTGRESQL_URL, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("create schema " + schema);
        }
        try {
            String separator = POSTGRESQL_URL.contains("?") ? "&" : "?";
            migrateAndStartEngine(POSTGRESQL_URL + separator + "currentSchema=" + schema, "postgres", "");
        } finally {
            try (Connection c = DriverManager.getConnection(POSTGRESQL_URL, "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("drop schema " + schema + " cascade");
            }
        }
    }

    @Test
    void emptyDatabaseFailsValidationNamingWhatIsPending() {
        DatabaseMigrations migrations = DatabaseMigrations.on("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");

        assertThatThrownBy(migrations::validate)
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("sh_camunda_schema_history: 7.24.0.1 camunda engine is Pending")
                .hasMessageContaining("sh_schema_history: 1 installation is Pending");
    }

    @Test
    void secondMigrationAppliesNothing() {
        DatabaseMigrations migrations = DatabaseMigrations.on("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        migrations.migrate();

        assertThat(migrations.migrate()).isEmpty();
    }

    private static void migrateAndStartEngine(String url, String user, String password) {
        DatabaseMigrations migrations = DatabaseMigrations.on(url, user, password);

        List<String> applied = migrations.migrate();
        migrations.validate();

        assertThat(applied).hasSize(11)
                .startsWith("sh_camunda_schema_history: 7.24.0.1 camunda engine")
                .endsWith("sh_schema_history: 1 installation", "sh_schema_history: 2 mcp servers", "sh_schema_history: 3 sampling ledger",
                        "sh_schema_history: 4 tool call keys");
        ProcessEngine engine = ProcessEngineConfiguration.createStandaloneProcessEngineConfiguration()
                .setJdbcUrl(url).setJdbcUsername(user).setJdbcPassword(password)
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_FALSE)
                .setJobExecutorActivate(false)
                .setProcessEngineName("migration-test-" + UUID.randomUUID())
                .buildProcessEngine();
        try {
            assertThat(engine.getManagementService().getProperties()).containsEntry("schema.version", "fox");
            assertThat(engine.getIdentityService().createUserQuery().count()).isZero();
        } finally {
            engine.close();
        }
    }
}
