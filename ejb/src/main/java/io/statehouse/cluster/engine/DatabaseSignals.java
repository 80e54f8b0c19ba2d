package io.statehouse.cluster.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.statehouse.cluster.ClusterSignals;
import io.statehouse.cluster.NodeIdentity;
import io.statehouse.engine.AfterCommit;
import io.statehouse.engine.EngineBootstrap;
import io.statehouse.engine.EngineStarted;

/**
 * The cluster's signals on the engine's database. On PostgreSQL a signal is {@code pg_notify} on
 * the channel {@value #CHANNEL}, executed on the engine's own connection inside the command that
 * sends it, so PostgreSQL delivers it to every listening node exactly when that transaction commits
 * (and never when it rolls back); each node holds one connection with {@code LISTEN}. On H2 there is
 * one node, and a signal is delivered to this node's listeners after the commit.
 */
@ApplicationScoped
public class DatabaseSignals implements ClusterSignals {

    /** The PostgreSQL channel of all of Statehouse's signals; a payload is {@code TOPIC:ids}. */
    static final String CHANNEL = "statehouse";

    private static final Logger LOG = Logger.getLogger(DatabaseSignals.class.getName());

    @Resource(lookup = EngineBootstrap.DATASOURCE)
    DataSource dataSource;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** How often the features compare what they hold in memory with the database, in a cluster. */
    @Inject
    @ConfigProperty(name = "statehouse.cluster.sweep-interval", defaultValue = "PT5S")
    Duration sweepInterval;

    /**
     * Whether this node holds a {@code LISTEN} connection. Without it (a database behind a pooler that
     * cannot {@code LISTEN}, such as PgBouncer in transaction mode) it still signals the others, and
     * hears them only through its sweeps.
     */
    @Inject
    @ConfigProperty(name = "statehouse.cluster.listen", defaultValue = "true")
    boolean listen;

    @Inject
    NodeIdentity node;

    private final Map<Topic, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private final List<Runnable> sweeps = new CopyOnWriteArrayList<>();
    private volatile ScheduledFuture<?> sweeping;
    private volatile boolean postgres;
    private volatile NotificationListener listener;

    /** Before every other chore: the features' listeners hear what other nodes do from the start on. */
    void start(@Observes @Priority(EngineStarted.SETUP - 100) EngineStarted started) {
        postgres = started.database() != null && started.database().toLowerCase(Locale.ROOT).contains("postgres");
        if (postgres) {
            if (listen) {
                listener = new NotificationListener(dataSource::getConnection, CHANNEL, this::deliver);
                Thread thread = threads.newThread(listener);
                thread.setName("statehouse-cluster-signals");
                thread.start();
                LOG.info(() -> "Cluster signals: PostgreSQL LISTEN/NOTIFY on channel " + CHANNEL + ", sweeps every " + sweepInterval);
            } else {
                LOG.warning(() -> "Cluster signals: this node does not LISTEN (statehouse.cluster.listen=false); it hears what other nodes do"
                        + " only by its sweeps, every " + sweepInterval + ", and a deployment on another node by its periodic refresh");
            }
            sweeping = scheduler.scheduleWithFixedDelay(this::sweepAll, sweepInterval.toMillis(), sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            LOG.info(() -> "Cluster signals: none needed on " + started.database() + " (one node)");
            if (node.named()) {
                // An operator who names nodes means a cluster; on H2 each node is a Statehouse of its own.
                LOG.warning(() -> "This node is named '" + node.id() + "' (STATEHOUSE_NODE_ID), as a node of a cluster is, but its database is "
                        + started.database() + ": H2 is Statehouse's single-node default, and this node shares no runs, tasks or tools with"
                        + " any other. A cluster needs PostgreSQL: STATEHOUSE_DB_DRIVER=postgresql and the same STATEHOUSE_DB_URL on every node.");
            }
        }
    }

    @PreDestroy
    void stop() {
        NotificationListener running = listener;
        if (running != null) {
            running.stop();
        }
        if (sweeping != null) {
            sweeping.cancel(false);
        }
    }

    @Override
    public void sweep(Runnable sweep) {
        sweeps.add(sweep);
    }

    private void sweepAll() {
        for (Runnable sweep : sweeps) {
            try {
                sweep.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A cluster sweep failed; the next one tries again", e);
            }
        }
    }

    @Override
    public boolean clustered() {
        return postgres;
    }

    @Override
    public void listen(Topic topic, Consumer<String> listener) {
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
    }

    @Override
    public void send(Topic topic, String payload) {
        String message = topic.name() + ":" + payload;
        CommandContext command = Context.getCommandContext();
        // Inside a command the engine knows its database even before it has started (its own deployments).
        boolean onPostgres = postgres || command != null && "postgres".equals(Context.getProcessEngineConfiguration().getDatabaseType());
        if (!onPostgres) {
            if (command != null) {
                AfterCommit.run(() -> deliver(message));
            } else {
                deliver(message);
            }
            return;
        }
        try {
            if (command != null) {
                notify(command.getDbSqlSession().getSqlSession().getConnection(), message);
            } else {
                try (Connection connection = dataSource.getConnection()) {
                    notify(connection, message);
                }
            }
        } catch (SQLException e) {
            // The sender's change is in the database all the same; the receiver's sweep finds it.
            LOG.log(Level.WARNING, "Could not signal " + message + " to the cluster: " + e.getMessage(), e);
        }
    }

    private static void notify(Connection connection, String message) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement("select pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, message);
            notify.execute();
        }
    }

    private void deliver(String message) {
        int colon = message.indexOf(':');
        Topic topic;
        try {
            topic = Topic.valueOf(colon < 0 ? message : message.substring(0, colon));
        } catch (IllegalArgumentException e) {
            LOG.fine(() -> "A signal of a topic this node does not know: " + message);
            return;
        }
        String payload = colon < 0 ? "" : message.substring(colon + 1);
        // In the order the signals were committed: a run's progress reaches its caller before its end.
        for (Consumer<String> each : listeners.getOrDefault(topic, List.of())) {
            try {
                each.accept(payload);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A listener of " + topic + " failed on " + payload, e);
            }
        }
    }
}
