package io.statehouse.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.statehouse.sampling.MovableClock;
import io.statehouse.sampling.MapConfig;
import io.statehouse.sampling.SamplingBudgets;
import io.statehouse.sampling.SamplingException;

/**
 * The database's sampling ledger as two nodes see it: each node a ledger of its own on one database
 * (H2 in memory, and PostgreSQL in the {@code postgresql} profile), both admitting at once. A budget
 * of N calls allows N calls across the nodes, never more.
 */
class SamplingLedgerTableTest {

    private static final String POSTGRESQL_URL = System.getProperty("statehouse.test.postgresql.url", "");
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    /** One database for one test: its JDBC URL, and how to drop it. */
    record Database(String vendor, String url, String drop) {
    }

    private final MovableClock clock = new MovableClock(T0);
    private Database database;

    static Stream<String> databases() {
        return Stream.of("H2", "PostgreSQL");
    }

    @AfterEach
    void dropTheDatabase() throws SQLException {
        if (database != null && database.drop() != null) {
            try (Connection connection = DriverManager.getConnection(POSTGRESQL_URL, "postgres", ""); Statement statement = connection.createStatement()) {
                statement.execute(database.drop());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aBudgetOfFiveCallsAllowsFiveCallsAcrossTwoNodesAdmittingAtOnce(String vendor) throws Exception {
        open(vendor);
        Map<String, String> config = Map.of("statehouse.sampling.budget.everything.calls", "5");
        List<SamplingBudgets> nodes = List.of(budgets(config), budgets(config));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> attempts = new ArrayList<>();
        try {
            for (int i = 0; i < 24; i++) {
                SamplingBudgets node = nodes.get(i % 2);
                attempts.add(threads.submit((Callable<Boolean>) () -> {
                    start.await();
                    try {
                        node.admit("standin", "everything").record(10, Duration.ofMillis(3));
                        return true;
                    } catch (SamplingException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            long admitted = 0;
            for (Future<Boolean> attempt : attempts) {
                admitted += attempt.get() ? 1 : 0;
            }
            assertThat(admitted).as("calls admitted by both nodes together").isEqualTo(5);
        } finally {
            threads.shutdownNow();
        }
        SamplingBudgets.Usage everything = nodes.get(1).usage("everything");
        assertThat(everything.callsInWindow()).isEqualTo(5);
        assertThat(everything.totalTokens()).as("each admitted call's 10 tokens, recorded on either node").isEqualTo(50);
        assertThat(nodes.get(0).usage("standin").totalCalls()).as("the provider's key counts the same calls").isEqualTo(5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void tokensSpentOnOneNodeCountOnTheOtherAndTheWindowRolls(String vendor) throws Exception {
        open(vendor);
        Map<String, String> config = Map.of("statehouse.sampling.budget.claude.tokens", "1000", "statehouse.sampling.budget.claude.window", "PT1M");
        SamplingBudgets a = budgets(config);
        SamplingBudgets b = budgets(config);
        a.admit("claude").record(600, Duration.ofMillis(40));
        clock.now = T0.plusSeconds(20);
        b.admit("claude").record(500, Duration.ofMillis(60));
        SamplingException spent = catchThrowableOfType(SamplingException.class, () -> a.admit("claude"));
        assertThat(spent).hasMessage("sampling budget 'claude' is spent: 1100 tokens in the last PT1M "
                + "(statehouse.sampling.budget.claude.tokens=1000); the next call is possible after 2026-01-01T10:01:00Z");
        clock.now = T0.plusSeconds(61);
        a.admit("claude").record(100, Duration.ofMillis(10));
        SamplingBudgets.Usage usage = b.usage("claude");
        assertThat(usage.callsInWindow()).as("the first call left the window").isEqualTo(2);
        assertThat(usage.tokensInWindow()).isEqualTo(600);
        assertThat(usage.totalCalls()).isEqualTo(3);
        assertThat(usage.totalTokens()).isEqualTo(1200);
        assertThat(usage.totalLatency()).isEqualTo(Duration.ofMillis(110));
    }

    private void open(String vendor) throws SQLException, IOException {
        String id = "ledger_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (vendor.equals("H2")) {
            database = new Database(vendor, "jdbc:h2:mem:" + id + ";DB_CLOSE_DELAY=-1", null);
        } else {
            assumeTrue(!POSTGRESQL_URL.isBlank(), "SKIPPED: no PostgreSQL configured; run with -Ppostgresql to test the cluster's sampling ledger");
            try (Connection connection = DriverManager.getConnection(POSTGRESQL_URL, "postgres", ""); Statement statement = connection.createStatement()) {
                statement.execute("create schema " + id);
            }
            database = new Database(vendor, POSTGRESQL_URL + (POSTGRESQL_URL.contains("?") ? "&" : "?") + "currentSchema=" + id, "drop schema " + id + " cascade");
        }
        try (InputStream script = getClass().getClassLoader().getResourceAsStream("io/statehouse/db/statehouse/V3__sampling_ledger.sql");
                Connection connection = connect(); Statement statement = connection.createStatement()) {
            String sql = new String(script.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            for (String command : sql.split(";")) {
                if (!command.isBlank()) {
                    statement.execute(command);
                }
            }
        }
    }

    private Connection connect() throws SQLException {
        return database.vendor().equals("H2") ? DriverManager.getConnection(database.url(), "sa", "") : DriverManager.getConnection(database.url(), "postgres", "");
    }

    /** One node: its own ledger, each of its transactions on a connection of its own. */
    private SamplingBudgets budgets(Map<String, String> config) {
        SamplingLedgerTable ledger = new SamplingLedgerTable(new SamplingLedgerTable.Transactions() {
            @Override
            public <T> T run(OwnTransactions.Work<T> work) {
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
        });
        return new SamplingBudgets(new MapConfig(config), clock, ledger);
    }
}
