package io.statehouse.cluster.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on one PostgreSQL channel until stopped: a connection of its own with {@code LISTEN}, its
 * notifications handed on as they arrive, and a new connection after one broke (what was sent
 * meanwhile is found by the sweeps of whoever waits for it).
 */
final class NotificationListener implements Runnable {

    /** How long one wait for notifications lasts before the loop checks whether it should stop. */
    static final int POLL_MILLIS = 1000;
    /** How long the loop waits after a broken connection before it opens a new one. */
    static final long RECONNECT_MILLIS = 2000;

    private static final Logger LOG = Logger.getLogger(NotificationListener.class.getName());

    /** Opens a connection outside any transaction. */
    @FunctionalInterface
    interface Connections {
        Connection open() throws SQLException;
    }

    private final Connections connections;
    private final String channel;
    private final Consumer<String> payloads;
    private volatile boolean stopped;
    private volatile boolean listening;

    NotificationListener(Connections connections, String channel, Consumer<String> payloads) {
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a plain channel name: " + channel);
        }
        this.connections = connections;
        this.channel = channel;
        this.payloads = payloads;
    }

    @Override
    public void run() {
        while (!stopped) {
            try (Connection connection = connections.open()) {
                PGConnection postgres = connection.unwrap(PGConnection.class);
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + channel);
                }
                listening = true;
                LOG.fine(() -> "Listening on PostgreSQL channel " + channel);
                while (!stopped) {
                    PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            hand(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (!stopped) {
                    LOG.log(Level.WARNING, "The cluster's signals are not heard (PostgreSQL channel " + channel + "): " + e.getMessage()
                            + "; trying again in " + RECONNECT_MILLIS + " ms, and the sweeps find what was missed", e);
                    pause();
                }
            }
        }
        listening = false;
    }

    private void hand(String payload) {
        try {
            payloads.accept(payload);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A cluster signal could not be handled: " + payload, e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    /** Whether {@code LISTEN} is in force on an open connection. */
    boolean listening() {
        return listening;
    }

    /** Ends the loop within {@value #POLL_MILLIS} ms. */
    void stop() {
        stopped = true;
    }
}
