package io.statehouse.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private final MovableClock clock = new MovableClock(T0);
    private TestDatabase database;

    static Stream<String> databases() {
        return TestDatabase.vendors();
    }

    @AfterEach
    void dropTheDatabase() throws SQLException {
        if (database != null) {
            database.close();
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
        database = TestDatabase.open(vendor, "V3__sampling_ledger.sql", "the cluster's sampling ledger");
    }

    /** One node: its own ledger, each of its transactions on a connection of its own. */
    private SamplingBudgets budgets(Map<String, String> config) {
        SamplingLedgerTable ledger = new SamplingLedgerTable(new SamplingLedgerTable.Transactions() {
            @Override
            public <T> T run(OwnTransactions.Work<T> work) {
                return database.inTransaction(work);
            }
        });
        return new SamplingBudgets(new MapConfig(config), clock, ledger);
    }
}
