package io.statehouse.cluster.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.Version;
import org.junit.jupiter.api.Test;

import io.statehouse.cluster.ClusterSignals.Topic;

/**
 * How fast, and at what cost, two nodes of a cluster wake each other with a signal: PostgreSQL
 * {@code LISTEN/NOTIFY}, sent as {@link DatabaseSignals} sends it and heard by our own
 * {@link NotificationListener}, against JGroups, the group communication under WildFly's {@code ha}
 * profiles, on the stack those profiles call {@code tcp}. It prints numbers and asserts only that
 * every signal arrived, so that a broken setup fails; its name keeps it out of the build's tests
 * (surefire runs {@code *Test}, {@code *Tests}, {@code Test*} and {@code *TestCase} alone).
 *
 * <p>Run it alone, with PostgreSQL on 127.0.0.1:5432 (database {@code test}, user {@code postgres},
 * trust auth; {@code -Ppostgresql} or {@code -Dstatehouse.test.postgresql.url} for another):
 * <pre>
 * mvn -pl ejb test -Dtest=SignalMechanismsBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>Each mechanism joins two nodes in this JVM; the sending node hears its own signal too, as
 * {@link io.statehouse.cluster.ClusterSignals} promises, and the other node is the one measured:
 * <ul>
 * <li>latency, one signal at a time after a warm-up: from the commit of the sending transaction
 * (PostgreSQL delivers on commit) or the call of {@code JChannel.send} until the other node's
 * listener has the payload;
 * <li>throughput: signals delivered per second while one thread sends them back to back, on
 * PostgreSQL each in a transaction of its own, as the engine's commands send them;
 * <li>cost: the time until the nodes hear each other, the threads and the heap (used after a GC)
 * the mechanism adds to the JVM, and the database connections it holds.
 * </ul>
 * One JVM on one machine over loopback: the numbers compare the mechanisms' own overhead, not a
 * network, and a busy machine shows in them.
 */
class SignalMechanismsBenchmark {

    /** Signals sent before measuring, so that the JIT has compiled both paths and every connection and pool is warm. */
    private static final int WARM_UP_SIGNALS = 200;
    /** Signals measured one at a time: enough for a p99 that rests on twenty samples. */
    private static final int MEASURED_SIGNALS = 2000;
    /** How long signals go back to back: long enough to fill every queue on the way and reach a steady rate. */
    private static final Duration THROUGHPUT_WINDOW = Duration.ofSeconds(3);
    /** How long the benchmark waits for a signal, or for any progress of a backlog, before it calls the setup broken. */
    private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(10);
    /** How often readiness is checked while a node forms: fine against the milliseconds that forming takes. */
    private static final long READINESS_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    /** The URL of the {@code postgresql} profile, unless the build was given another. */
    private static final String POSTGRESQL_URL = System.getProperty("statehouse.test.postgresql.url", "").isBlank()
            ? "jdbc:postgresql://127.0.0.1:5432/test" : System.getProperty("statehouse.test.postgresql.url");
    /** Marks the mechanism's own connections in {@code pg_stat_activity}, so that they are counted and nobody else's are. */
    private static final String APPLICATION_NAME = "statehouse-signal-benchmark";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    /** A signal of Statehouse's own format ({@code TOPIC:ids}): a call instance and a request number. */
    private final String signalPrefix = Topic.QUESTION_ANSWERED.name() + ":" + UUID.randomUUID() + ":";

    @Test
    void bothMechanismsDeliverEverySignalAndTheirNumbersArePrinted() throws Exception {
        try (Connection admin = connect("statehouse-signal-benchmark-admin")) {
            Measurement postgres = measure(new PostgresNodes(), admin);
            Measurement jgroups = measure(new JGroupsNodes(), admin);
            System.out.println(table(postgres, jgroups, describe(admin)));
        }
    }

    private Measurement measure(TwoNodes nodes, Connection admin) throws Exception {
        int numbered = WARM_UP_SIGNALS + MEASURED_SIGNALS;
        Heard atSender = new Heard(numbered);
        Heard atReceiver = new Heard(numbered);
        long heapBefore = heapUsedAfterGc();
        Set<Thread> threadsBefore = liveThreads();
        int threadCountBefore = threads.getThreadCount();
        threads.resetPeakThreadCount();
        try (nodes) {
            nodes.prepare();
            long starting = System.nanoTime();
            nodes.startSendingNode(atSender);
            long sendingNodeReady = System.nanoTime();
            nodes.startReceivingNode(atReceiver);
            long bothReady = System.nanoTime();

            int threadsFormed = threads.getThreadCount() - threadCountBefore;
            String threadNames = namesOf(liveThreads(), threadsBefore);
            long heapFormed = heapUsedAfterGc() - heapBefore;
            int connections = connectionsHeld(admin);

            long[] latencies = new long[MEASURED_SIGNALS];
            long[] senderCalls = new long[MEASURED_SIGNALS];
            for (int number = 0; number < numbered; number++) {
                long calling = System.nanoTime();
                long sent = nodes.send(signal(number));
                long returned = System.nanoTime();
                awaitEveryNode(nodes, atSender, atReceiver, number + 1);
                if (number >= WARM_UP_SIGNALS) {
                    latencies[number - WARM_UP_SIGNALS] = atReceiver.arrivedAt(number) - sent;
                    senderCalls[number - WARM_UP_SIGNALS] = returned - calling;
                }
            }

            int next = numbered;
            long sending = System.nanoTime();
            long stopSending = sending + THROUGHPUT_WINDOW.toNanos();
            while (System.nanoTime() < stopSending) {
                nodes.send(signal(next++));
            }
            awaitEveryNode(nodes, atSender, atReceiver, next);
            double perSecond = (next - numbered) / ((atReceiver.lastArrival() - sending) / 1e9);

            int threadsAfterLoad = threads.getThreadCount() - threadCountBefore;
            int threadsAtPeak = threads.getPeakThreadCount() - threadCountBefore;
            Arrays.sort(latencies);
            Arrays.sort(senderCalls);
            return new Measurement(nodes.name(), latencies, senderCalls, next - numbered, perSecond,
                    Duration.ofNanos(sendingNodeReady - starting), Duration.ofNanos(bothReady - sendingNodeReady),
                    threadsFormed, threadsAfterLoad, threadsAtPeak, threadNames, heapFormed, connections);
        }
    }

    private static void awaitEveryNode(TwoNodes nodes, Heard atSender, Heard atReceiver, int count) throws InterruptedException {
        assertThat(atReceiver.awaitCount(count)).as("%s: signal %d reached the other node (%d heard)", nodes.name(), count - 1, atReceiver.count())
                .isTrue();
        assertThat(atSender.awaitCount(count)).as("%s: signal %d reached the sending node itself (%d heard)", nodes.name(), count - 1, atSender.count())
                .isTrue();
    }

    /** Every signal the same size: the number zero-padded, as wide as any a run reaches. */
    private String signal(int number) {
        String digits = Integer.toString(number);
        return signalPrefix + "0000000".substring(Math.min(7, digits.length())) + digits;
    }

    private static int numberOf(String signal) {
        return Integer.parseInt(signal, signal.lastIndexOf(':') + 1, signal.length(), 10);
    }

    private static long heapUsedAfterGc() throws InterruptedException {
        // Twice, with a pause: what the first collection leaves to finalization and reference queues goes with the second.
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /**
     * The names of the threads added since {@code before}, counted by kind: numbers folded, and what
     * JGroups appends (the cluster, the member, the connection's addresses) left off.
     */
    private static String namesOf(Set<Thread> now, Set<Thread> before) {
        Map<String, Integer> byName = new TreeMap<>();
        for (Thread thread : now) {
            if (!before.contains(thread)) {
                String kind = thread.getName().split(",", 2)[0].replaceAll("\\s*\\[[^]]*]", "").replaceAll("[0-9]+", "#");
                byName.merge(kind, 1, Integer::sum);
            }
        }
        return byName.isEmpty() ? "none" : byName.entrySet().stream()
                .map(e -> e.getValue() == 1 ? e.getKey() : e.getKey() + " ×" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static int connectionsHeld(Connection admin) throws SQLException {
        try (PreparedStatement count = admin.prepareStatement("select count(*) from pg_stat_activity where application_name = ?")) {
            count.setString(1, APPLICATION_NAME);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static Connection connect(String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(POSTGRESQL_URL, properties);
    }

    private String describe(Connection admin) throws SQLException {
        DatabaseMetaData database = admin.getMetaData();
        String settings;
        try (PreparedStatement show = admin.prepareStatement("select current_setting('synchronous_commit'), current_setting('fsync')");
                ResultSet rows = show.executeQuery()) {
            rows.next();
            settings = "synchronous_commit=" + rows.getString(1) + ", fsync=" + rows.getString(2);
        }
        return String.format("PostgreSQL %s (%s), driver %s; JGroups %s; Java %s, %d CPUs%n"
                        + "signal: %d bytes (%s<number>); latency over %d signals one at a time after %d for warm-up, at the node that did not send",
                database.getDatabaseProductVersion(), settings, database.getDriverVersion(), Version.printVersion(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                signal(0).getBytes(StandardCharsets.UTF_8).length, signalPrefix, MEASURED_SIGNALS, WARM_UP_SIGNALS);
    }

    private static String table(Measurement postgres, Measurement jgroups, String description) {
        StringBuilder table = new StringBuilder("=== Cluster signal mechanisms ===\n").append(description).append('\n');
        String row = "%-46s %18s %18s %12s%n";
        table.append(String.format(row, "", postgres.mechanism(), jgroups.mechanism(), "JGroups/PG"));
        latencyRow(table, row, "latency median (µs)", postgres, jgroups, 0.50);
        latencyRow(table, row, "latency p95 (µs)", postgres, jgroups, 0.95);
        latencyRow(table, row, "latency p99 (µs)", postgres, jgroups, 0.99);
        table.append(String.format(row, "latency max (µs)", micros(postgres.latencies()[MEASURED_SIGNALS - 1]),
                micros(jgroups.latencies()[MEASURED_SIGNALS - 1]), ""));
        table.append(String.format(row, "sender's call, median (µs)", micros(percentile(postgres.senderCalls(), 0.50)),
                micros(percentile(jgroups.senderCalls(), 0.50)), ""));
        table.append(String.format(row, "throughput (signals/s, " + THROUGHPUT_WINDOW.toSeconds() + " s back to back)",
                String.format("%,.0f", postgres.perSecond()), String.format("%,.0f", jgroups.perSecond()),
                String.format("%.2f", jgroups.perSecond() / postgres.perSecond())));
        table.append(String.format(row, "  signals sent in that window", String.format("%,d", postgres.throughputSignals()),
                String.format("%,d", jgroups.throughputSignals()), ""));
        table.append(String.format(row, "time to form: sending node hears (ms)", millis(postgres.sendingNodeForms()),
                millis(jgroups.sendingNodeForms()), ""));
        table.append(String.format(row, "time to form: second node, both hear (ms)", millis(postgres.receivingNodeForms()),
                millis(jgroups.receivingNodeForms()), ""));
        table.append(String.format(row, "threads added: formed / after load / peak", threadCounts(postgres), threadCounts(jgroups), ""));
        table.append(String.format(row, "heap added, used after GC (KiB)", String.format("%,d", postgres.heapBytes() / 1024),
                String.format("%,d", jgroups.heapBytes() / 1024), ""));
        table.append(String.format(row, "database connections held (both nodes)", postgres.connections(), jgroups.connections(), ""));
        table.append("threads added by ").append(postgres.mechanism()).append(": ").append(postgres.threadNames()).append('\n');
        table.append("threads added by ").append(jgroups.mechanism()).append(": ").append(jgroups.threadNames()).append('\n');
        return table.toString();
    }

    private static void latencyRow(StringBuilder table, String row, String label, Measurement postgres, Measurement jgroups, double quantile) {
        long pg = percentile(postgres.latencies(), quantile);
        long jg = percentile(jgroups.latencies(), quantile);
        table.append(String.format(row, label, micros(pg), micros(jg), String.format("%.2f", (double) jg / pg)));
    }

    /** Nearest rank over sorted values. */
    private static long percentile(long[] sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String micros(long nanos) {
        return String.format("%,.1f", nanos / 1e3);
    }

    private static String millis(Duration duration) {
        return String.format("%,.1f", duration.toNanos() / 1e6);
    }

    private static String threadCounts(Measurement measurement) {
        return measurement.threadsFormed() + " / " + measurement.threadsAfterLoad() + " / " + measurement.threadsAtPeak();
    }

    /** What one mechanism showed; latencies and sender's calls sorted, in nanoseconds. */
    private record Measurement(String mechanism, long[] latencies, long[] senderCalls, int throughputSignals, double perSecond,
            Duration sendingNodeForms, Duration receivingNodeForms, int threadsFormed, int threadsAfterLoad, int threadsAtPeak,
            String threadNames, long heapBytes, int connections) {
    }

    /**
     * What one node's listener heard: when each numbered signal arrived (up to the numbers measured one
     * at a time), the last arrival, and how many; the benchmark's one thread waits on it.
     */
    private static final class Heard {

        private final long[] arrivedAt;
        private final AtomicInteger count = new AtomicInteger();
        private volatile long lastArrival;
        private volatile int awaited = Integer.MAX_VALUE;
        private volatile Thread waiter;

        Heard(int numbered) {
            arrivedAt = new long[numbered];
        }

        void hear(String signal) {
            long now = System.nanoTime();
            int number = numberOf(signal);
            if (number < arrivedAt.length) {
                arrivedAt[number] = now;
            }
            lastArrival = now;
            // The count last: whoever sees it also sees the times written before it.
            if (count.incrementAndGet() >= awaited) {
                LockSupport.unpark(waiter);
            }
        }

        /** Whether {@code target} signals were heard, waiting while they keep arriving. */
        boolean awaitCount(int target) throws InterruptedException {
            waiter = Thread.currentThread();
            awaited = target;
            try {
                int seen = count.get();
                long deadline = System.nanoTime() + ARRIVAL_TIMEOUT.toNanos();
                while (seen < target) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    int now = count.get();
                    if (now > seen) {
                        // A backlog that drains is not lost: the timeout counts from the latest progress.
                        deadline = System.nanoTime() + ARRIVAL_TIMEOUT.toNanos();
                        seen = now;
                    }
                }
                return true;
            } finally {
                awaited = Integer.MAX_VALUE;
            }
        }

        int count() {
            return count.get();
        }

        long arrivedAt(int number) {
            return arrivedAt[number];
        }

        long lastArrival() {
            return lastArrival;
        }
    }

    /** Two nodes joined by one mechanism, driven the same way for each: one sends, both hear. */
    private interface TwoNodes extends AutoCloseable {

        String name();

        /** What the nodes need that does not count as forming: in Statehouse it is there already, or it is chosen by configuration. */
        void prepare() throws Exception;

        /** Starts the sending node; returns once it hears signals. */
        void startSendingNode(Heard heard) throws Exception;

        /** Starts the other node; returns once both hear each other's signals. */
        void startReceivingNode(Heard heard) throws Exception;

        /**
         * Sends one signal from the sending node.
         *
         * @return the {@link System#nanoTime()} from which its latency counts
         */
        long send(String signal) throws Exception;
    }

    /**
     * LISTEN/NOTIFY as Statehouse does it: each node one {@link NotificationListener} on a connection of
     * its own; the sending node's {@code pg_notify} in a transaction that then commits. In Statehouse that
     * transaction is the engine command's, on a pooled connection it holds anyway; here it has one of its own.
     */
    private static final class PostgresNodes implements TwoNodes {

        private final String channel = "statehouse_benchmark_" + UUID.randomUUID().toString().replace("-", "");
        private final List<NotificationListener> listeners = new ArrayList<>();
        private final List<Thread> listening = new ArrayList<>();
        private Connection sender;

        @Override
        public String name() {
            return "PG LISTEN/NOTIFY";
        }

        @Override
        public void prepare() throws SQLException {
            sender = connect(APPLICATION_NAME);
            sender.setAutoCommit(false);
        }

        @Override
        public void startSendingNode(Heard heard) throws SQLException {
            listen(heard, "sending");
        }

        @Override
        public void startReceivingNode(Heard heard) throws SQLException {
            listen(heard, "receiving");
        }

        private void listen(Heard heard, String node) {
            NotificationListener listener = new NotificationListener(() -> connect(APPLICATION_NAME), channel, heard::hear);
            Thread thread = new Thread(listener, "statehouse-cluster-signals-" + node);
            thread.setDaemon(true);
            listeners.add(listener);
            listening.add(thread);
            thread.start();
            long deadline = System.nanoTime() + ARRIVAL_TIMEOUT.toNanos();
            while (!listener.listening() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(READINESS_POLL_NANOS);
            }
            assertThat(listener.listening()).as("the %s node's LISTEN on %s in force within %s", node, POSTGRESQL_URL, ARRIVAL_TIMEOUT).isTrue();
        }

        @Override
        public long send(String signal) throws SQLException {
            try (PreparedStatement notify = sender.prepareStatement("select pg_notify(?, ?)")) {
                notify.setString(1, channel);
                notify.setString(2, signal);
                notify.execute();
            }
            long committing = System.nanoTime();
            sender.commit();
            return committing;
        }

        @Override
        public void close() throws Exception {
            listeners.forEach(NotificationListener::stop);
            for (Thread thread : listening) {
                thread.join(2 * NotificationListener.POLL_MILLIS);
            }
            if (sender != null) {
                sender.close();
            }
        }
    }

    /**
     * Two JGroups channels on WildFly 39's {@code tcp} stack (standalone-ha.xml) with its protocol
     * defaults (jgroups-defaults.xml in wildfly-clustering-jgroups-extension) and its default thread
     * pool, discovery by TCPPING to the two loopback ports rather than MPING: loopback carries no
     * multicast here, and TCPPING is what WildFly offers where multicast is not to be had.
     */
    private static final class JGroupsNodes implements TwoNodes {

        private static final String STACK = """
                <config xmlns="urn:org:jgroups">
                    <TCP bind_addr="127.0.0.1" bind_port="%d" port_range="0"
                         send_buf_size="640k" sock_conn_timeout="300ms" use_virtual_threads="false"
                         thread_pool.min_threads="0" thread_pool.max_threads="200" thread_pool.keep_alive_time="60000"/>
                    <RED/>
                    <TCPPING initial_hosts="127.0.0.1[%d],127.0.0.1[%d]" port_range="0" num_discovery_runs="3"/>
                    <MERGE3 min_interval="10s" max_interval="30s"/>
                    <FD_ALL3/>
                    <VERIFY_SUSPECT2 timeout="1s"/>
                    <NAKACK4 xmit_interval="100ms"/>
                    <UNICAST4 xmit_interval="100ms"/>
                    <pbcast.GMS print_local_addr="false"/>
                    <FRAG4 frag_size="60k"/>
                </config>
                """;

        private final String cluster = "statehouse-benchmark-" + UUID.randomUUID();
        private int sendingPort;
        private int receivingPort;
        private JChannel sending;
        private JChannel receiving;

        @Override
        public String name() {
            return "JGroups tcp";
        }

        @Override
        public void prepare() throws Exception {
            // Both sockets open at once, so that the two ports differ; WildFly has them from its socket bindings.
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            try (ServerSocket first = new ServerSocket(0, 1, loopback); ServerSocket second = new ServerSocket(0, 1, loopback)) {
                sendingPort = first.getLocalPort();
                receivingPort = second.getLocalPort();
            }
        }

        @Override
        public void startSendingNode(Heard heard) throws Exception {
            sending = channel(sendingPort, heard);
            sending.connect(cluster);
        }

        @Override
        public void startReceivingNode(Heard heard) throws Exception {
            receiving = channel(receivingPort, heard);
            receiving.connect(cluster);
            long deadline = System.nanoTime() + ARRIVAL_TIMEOUT.toNanos();
            while ((sending.getView().size() < 2 || receiving.getView().size() < 2) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(READINESS_POLL_NANOS);
            }
            assertThat(List.of(sending.getView().size(), receiving.getView().size()))
                    .as("both channels see a view of both within %s: %s", ARRIVAL_TIMEOUT, receiving.getViewAsString())
                    .containsExactly(2, 2);
        }

        private JChannel channel(int port, Heard heard) throws Exception {
            String stack = STACK.formatted(port, sendingPort, receivingPort);
            JChannel channel = new JChannel(new ByteArrayInputStream(stack.getBytes(StandardCharsets.UTF_8)));
            channel.setReceiver(new Receiver() {
                @Override
                public void receive(Message message) {
                    heard.hear(new String(message.getArray(), message.getOffset(), message.getLength(), StandardCharsets.UTF_8));
                }
            });
            return channel;
        }

        @Override
        public long send(String signal) throws Exception {
            Message message = new BytesMessage(null, signal.getBytes(StandardCharsets.UTF_8));
            long sent = System.nanoTime();
            sending.send(message);
            return sent;
        }

        @Override
        public void close() {
            if (receiving != null) {
                receiving.close();
            }
            if (sending != null) {
                sending.close();
            }
        }
    }
}
