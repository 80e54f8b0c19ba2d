package io.statehouse.cluster.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The cluster's wake-up on a real PostgreSQL server (the {@code postgresql} profile, which CI runs):
 * a notification reaches the listener only when the sender's transaction commits, in order, and the
 * listener reconnects after its connection broke.
 */
class NotificationListenerTest {

    private static final String POSTGRESQL_URL = System.getProperty("statehouse.test.postgresql.url", "");

    private final String channel = "statehouse_test_" + UUID.randomUUID().toString().replace("-", "");

    @Test
    void aNotificationArrivesOnceItsTransactionCommitsAndNeverAfterARollback() throws Exception {
        assumeTrue(!POSTGRESQL_URL.isBlank(), "SKIPPED: no PostgreSQL configured; run with -Ppostgresql to test the cluster's signals");
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        NotificationListener listener = new NotificationListener(NotificationListenerTest::connect, channel, heard::add);
        Thread thread = new Thread(listener, "test-listener");
        thread.start();
        try {
            awaitListening(listener);
            try (Connection sender = connect()) {
                sender.setAutoCommit(false);
                send(sender, "RUN_ENDED:rolled-back");
                sender.rollback();
                send(sender, "RUN_ENDED:first");
                send(sender, "RUN_ENDED:second");
                assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).as("nothing before the commit").isNull();
                sender.commit();
            }
            assertThat(List.of(heard.poll(5, TimeUnit.SECONDS), heard.poll(5, TimeUnit.SECONDS)))
                    .as("what the committed transaction sent, in order").containsExactly("RUN_ENDED:first", "RUN_ENDED:second");
            assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).as("the rolled back notification never arrives").isNull();
        } finally {
            listener.stop();
            thread.join(5000);
        }
        assertThat(thread.isAlive()).as("the listener stops when told").isFalse();
    }

    @Test
    void theListenerHearsAgainAfterItsConnectionBroke() throws Exception {
        assumeTrue(!POSTGRESQL_URL.isBlank(), "SKIPPED: no PostgreSQL configured; run with -Ppostgresql to test the cluster's signals");
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        NotificationListener listener = new NotificationListener(NotificationListenerTest::connect, channel, heard::add);
        Thread thread = new Thread(listener, "test-listener");
        thread.start();
        try {
            awaitListening(listener);
            try (Connection admin = connect(); PreparedStatement kill = admin.prepareStatement(
                    "select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() and query like ?")) {
                kill.setString(1, "LISTEN " + channel + "%");
                kill.execute();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            String got = null;
            while (got == null && System.nanoTime() < deadline) {
                try (Connection sender = connect()) {
                    send(sender, "DEPLOYED:after-the-break");
                }
                got = heard.poll(500, TimeUnit.MILLISECONDS);
            }
            assertThat(got).as("a notification sent after the listener's connection was killed").isEqualTo("DEPLOYED:after-the-break");
        } finally {
            listener.stop();
            thread.join(5000);
        }
    }

    @Test
    void aChannelNameIsPlain() {
        assertThatThrownBy(() -> new NotificationListener(NotificationListenerTest::connect, "x; drop table y", s -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void awaitListening(NotificationListener listener) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!listener.listening() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(listener.listening()).as("LISTEN in force within 10 s").isTrue();
    }

    private void send(Connection connection, String payload) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement("select pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, payload);
            notify.execute();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(POSTGRESQL_URL, "postgres", "");
    }
}
