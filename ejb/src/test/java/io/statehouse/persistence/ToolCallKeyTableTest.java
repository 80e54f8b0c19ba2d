package io.statehouse.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sh_tool_call_key} as two nodes use it (H2 in memory, and PostgreSQL in the
 * {@code postgresql} profile): the second claim of a key waits for the first's transaction, and
 * once that commits it fails and finds the first's run; an expired key can be claimed anew.
 */
class ToolCallKeyTableTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Duration WINDOW = Duration.ofDays(1);

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
    void aSecondClaimWaitsForTheFirstAndThenFindsItsRun(String vendor) throws Exception {
        database = TestDatabase.open(vendor, "V4__tool_call_keys.sql", "the cluster's tool call keys");
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch secondTries = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> database.inTransaction(connection -> {
            ToolCallKeyTable.claim(connection, "k1", "call-a", T0, T0.minus(WINDOW));
            claimed.countDown();
            await(secondTries);
            // The run starts here, while the second claim waits on this row.
            Thread.yield();
            ToolCallKeyTable.bind(connection, "k1", "run-1");
            return "run-1";
        }));
        assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> database.inTransaction(connection -> {
            secondTries.countDown();
            ToolCallKeyTable.claim(connection, "k1", "call-a", T0.plusMillis(5), T0.minus(WINDOW));
            return null;
        }));
        assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo("run-1");
        ExecutionException refused = catchThrowableOfType(ExecutionException.class, () -> second.get(20, TimeUnit.SECONDS));
        assertThat(refused).as("the second claim of the key").isNotNull();
        assertThat(refused.getCause()).isInstanceOf(OwnTransactions.DatabaseException.class);
        assertThat(((OwnTransactions.DatabaseException) refused.getCause()).sqlState()).isEqualTo(OwnTransactions.DatabaseException.UNIQUE_VIOLATION);

        ToolCallKeyTable.Earlier earlier = find("k1", T0.minus(WINDOW)).orElseThrow();
        assertThat(earlier.runId()).isEqualTo("run-1");
        assertThat(earlier.call()).isEqualTo("call-a");
        assertThat(earlier.created()).isEqualTo(T0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aClaimThatRolledBackLeavesTheKeyFreeAndAnExpiredKeyIsClaimedAnew(String vendor) throws Exception {
        database = TestDatabase.open(vendor, "V4__tool_call_keys.sql", "the cluster's tool call keys");
        IllegalStateException failed = catchThrowableOfType(IllegalStateException.class, () -> database.inTransaction(connection -> {
            ToolCallKeyTable.claim(connection, "k2", "call-a", T0, T0.minus(WINDOW));
            throw new IllegalStateException("the run's start failed");
        }));
        assertThat(failed).isNotNull();
        assertThat(find("k2", T0.minus(WINDOW))).isEmpty();

        claimAndBind("k2", "call-a", "run-2", T0);
        claimAndBind("k3", "call-b", "run-3", T0.plusSeconds(60));
        Instant dayLater = T0.plus(WINDOW).plusSeconds(1);
        assertThat(find("k2", dayLater.minus(WINDOW)))
                .as("a key older than the window").isEmpty();
        claimAndBind("k2", "call-c", "run-4", dayLater);
        assertThat(find("k2", dayLater.minus(WINDOW)).orElseThrow().runId())
                .isEqualTo("run-4");
        assertThat(purge(T0.plusSeconds(61)))
                .as("rows older than k3 and k3: k3 alone, k2 is newer now").isEqualTo(1);
        assertThat(find("k2", Instant.EPOCH)).isPresent();
        assertThat(find("k3", Instant.EPOCH)).isEmpty();
    }

    private Optional<ToolCallKeyTable.Earlier> find(String key, Instant expired) {
        return database.inTransaction(connection -> ToolCallKeyTable.find(connection, key, expired));
    }

    private int purge(Instant expired) {
        return database.inTransaction(connection -> ToolCallKeyTable.purge(connection, expired));
    }

    private void claimAndBind(String key, String call, String run, Instant at) {
        database.inTransaction(connection -> {
            ToolCallKeyTable.claim(connection, key, call, at, at.minus(WINDOW));
            ToolCallKeyTable.bind(connection, key, run);
            return null;
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
            // The second claim's insert is on its way; give it the moment to reach the row and wait on it.
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
