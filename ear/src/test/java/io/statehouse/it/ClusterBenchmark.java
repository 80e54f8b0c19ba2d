package io.statehouse.it;

import static io.statehouse.it.ClusterNodes.NODE_A;
import static io.statehouse.it.ClusterNodes.NODE_B;
import static io.statehouse.it.Latencies.percentile;
import static io.statehouse.it.Latencies.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import io.statehouse.bpmn.ProcessModels.McpToolCall;

/**
 * The cluster benchmark (not a test: it prints numbers and asserts only that the runs worked), on
 * PostgreSQL, in one run: first node A alone, then node A and node B ({@link ClusterNodes}) with
 * HAProxy in front ({@link HaproxyBalancer}). It measures how long an answer given in the Tasklist
 * takes to reach the MCP server whose call waits for it, on the node that holds the call and on the
 * other node (the cluster's wake-up); agent runs with one MCP tool call per second, on one node and
 * on two behind the balancer; and what the cluster costs each node (threads, memory, database
 * connections); last, with a node B that does not {@code LISTEN}, how long the same answer takes
 * by the sweep alone. The MCP server is the benchmark's own ({@code bench-server.mjs}). Both nodes share
 * the machine's cores, so two nodes on one machine measure the mechanism's cost, not a cluster's
 * capacity. Run it with {@code mvn -pl ear verify -Pbenchmark} (PostgreSQL on 127.0.0.1:5432).
 */
@ExtendWith(ArquillianExtension.class)
@EnabledIfSystemProperty(named = "statehouse.it.database", matches = "postgresql",
        disabledReason = "a cluster needs PostgreSQL: the benchmark profile runs ClusterBenchmark in its benchmark-cluster execution")
class ClusterBenchmark {

    static final int WARMUP = 5;
    static final int QUESTIONS = 40;
    static final int RUNS = 150;
    static final int CLIENTS = 6;

    private final Http demo = Http.as("demo", "demo");
    private final Http operator = Http.as("operator", "operator-secret-for-tests");
    private final EngineRest engineA = new EngineRest(demo, NODE_A.engineRest());

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @Test
    void answersAcrossNodesAndRunsPerSecondOnOneAndOnTwoNodes() throws Exception {
        StringBuilder out = new StringBuilder("\n=== Cluster benchmark (" + Runtime.getRuntime().availableProcessors()
                + " cores, PostgreSQL, WildFly nodes on one machine, one Node MCP server on loopback) ===\n");
        try (NodeMcpServer bench = NodeMcpServer.bench()) {
            assertThat(operator.putJson(NODE_A.base() + "/statehouse/api/mcp-servers/bench", "{\"url\": \"" + bench.url() + "\"}")
                    .statusCode()).isIn(200, 201);
            assertThat(engineA.deploy("cluster-benchmark", "benchmark.bpmn", Fixtures.text(McpClientIT.RUN_MODEL)).statusCode()).isEqualTo(200);

            // Node A alone.
            List<Double> aloneAnswers = new ArrayList<>();
            answers(QUESTIONS, engineA, List.of(NODE_A), aloneAnswers, new ArrayList<>());
            Throughput alone = runsPerSecond(NODE_A.engineRest());
            Cost aloneCost = Cost.of(NODE_A, serverJvm(NODE_A));

            List<Double> sameNode = new ArrayList<>();
            List<Double> otherNode = new ArrayList<>();
            ClusterNodes nodeB = ClusterNodes.startNodeB();
            try (HaproxyBalancer lb = HaproxyBalancer.start(ClusterNodes.CLUSTER_DIR, NODE_A, NODE_B)) {
                answers(2 * QUESTIONS, engineA, List.of(NODE_A, NODE_B), sameNode, otherNode);
                Throughput balanced = runsPerSecond(lb.base() + "/statehouse/engine-rest");
                Throughput onA = runsPerSecond(NODE_A.engineRest());
                Cost costA = Cost.of(NODE_A, serverJvm(NODE_A));
                Cost costB = Cost.of(NODE_B, serverJvm(NODE_B));
                Listeners listeners = Listeners.read();

                out.append(row("answer -> MCP server, node A alone", aloneAnswers));
                out.append(row("answer -> MCP server, two nodes, answered on the node that holds the call", sameNode));
                out.append(row("answer -> MCP server, two nodes, answered on the other node (wake-up)", otherNode));
                out.append(String.format(Locale.ROOT, "ratio other node / same node: median %.2fx, p95 %.2fx%n",
                        percentile(otherNode, 50) / percentile(sameNode, 50), percentile(otherNode, 95) / percentile(sameNode, 95)));
                out.append(alone.row("agent runs, one MCP tool call, node A alone"));
                out.append(onA.row("agent runs, one MCP tool call, two nodes, all sent to node A"));
                out.append(balanced.row("agent runs, one MCP tool call, two nodes behind HAProxy"));
                out.append(String.format(Locale.ROOT, "ratio runs/s two nodes behind HAProxy / node A alone: %.2fx%n",
                        balanced.perSecond() / alone.perSecond()));
                out.append(aloneCost.row("node A alone, after its runs"));
                out.append(costA.row("node A in the cluster, after its runs"));
                out.append(costB.row("node B in the cluster, after its runs"));
                out.append(listeners.row());
            } finally {
                nodeB.stop();
            }

            // Without the wake-up: node B does not LISTEN, so an answer given on node A reaches a call held by
            // node B by node B's sweep (every 5 s by default). Runs are started on node B, whose worker takes them.
            ClusterNodes deafB = ClusterNodes.startNodeB(Map.of("STATEHOUSE_CLUSTER_LISTEN", "false"));
            try {
                List<Double> heldByA = new ArrayList<>();
                List<Double> bySweep = new ArrayList<>();
                answers(QUESTIONS / 2, new EngineRest(demo, NODE_B.engineRest()), List.of(NODE_A), heldByA, bySweep);
                out.append(row("answer -> MCP server, answered on node A, held by a node B that does not LISTEN (sweep, PT5S)", bySweep));
                out.append(String.format(Locale.ROOT, "ratio without / with the wake-up: median %.1fx, p95 %.1fx%n",
                        percentile(bySweep, 50) / percentile(otherNode, 50), percentile(bySweep, 95) / percentile(otherNode, 95)));
            } finally {
                deafB.stop();
            }
        }
        System.out.println(out);
    }

    /**
     * Runs that ask their MCP server one question, started on {@code starting}; each answer is given on the
     * next node of {@code answeringNodes} in turn, and counted as given on the node that holds the
     * call (its worker's lock says which) or on the other one.
     */
    private void answers(int count, EngineRest starting, List<ClusterNodes.Node> answeringNodes, List<Double> sameNode, List<Double> otherNode) {
        for (int i = 0; i < WARMUP + count; i++) {
            String run = startRun(starting, "ask");
            String call = engineA.awaitCall(run);
            JsonObject task = engineA.awaitTask(call, McpToolCall.TASK_ANSWER_ELICITATION);
            JsonArray locked = engineA.externalTasks(call);
            ClusterNodes.Node holder = locked.size() == 1 ? ClusterNodes.holderOf(locked.getJsonObject(0).getString("workerId")) : NODE_A;
            ClusterNodes.Node answering = answeringNodes.get(i % answeringNodes.size());
            double completedAt = epochMillis();
            HttpResponse<String> completed = new EngineRest(demo, answering.engineRest()).complete(task.getString("id"),
                    EngineRest.variables(Json.createObjectBuilder()
                            .add(McpToolCall.VAR_ACTION, EngineRest.stringValue("accept"))
                            .add(McpToolCall.VAR_CONTENT, EngineRest.stringValue("{\"ok\": true}"))));
            assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);
            engineA.awaitEnded(run, "benchmark run " + run + " to end", Duration.ofSeconds(30));
            JsonObject times = Http.object(engineA.historicVariables(run, "toolResult").getJsonObject(0).getString("value"));
            assertThat(times.getString("action")).isEqualTo("accept");
            if (i >= WARMUP) {
                (answering == holder ? sameNode : otherNode).add(times.getJsonNumber("answeredAt").doubleValue() - completedAt);
            }
        }
    }

    record Throughput(int runs, double seconds, List<Double> millis) {
        double perSecond() {
            return runs / seconds;
        }

        String row(String what) {
            return String.format(Locale.ROOT, "%-70s %5.1f runs/s (%d runs, %d clients); per run median %.0f ms, p95 %.0f ms%n",
                    what, perSecond(), runs, CLIENTS, percentile(millis, 50), percentile(millis, 95));
        }
    }

    /** {@value #RUNS} agent runs with one {@code noop} tool call, by {@value #CLIENTS} clients, each starting a run and waiting for its end. */
    private Throughput runsPerSecond(String engineRest) throws Exception {
        EngineRest engine = new EngineRest(demo, engineRest);
        for (int i = 0; i < WARMUP; i++) {
            engine.awaitEnded(startRun(engine, "noop"), "a warm-up run to end", Duration.ofSeconds(30));
        }
        AtomicInteger left = new AtomicInteger(RUNS);
        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        long began = System.nanoTime();
                        String run = startRun(engine, "noop");
                        while (!engine.ended(run)) {
                            pause(5);
                        }
                        millis.add((System.nanoTime() - began) / 1e6);
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        return new Throughput(RUNS, (System.nanoTime() - start) / 1e9, millis);
    }

    /** A node's server JVM, found by its command line: node B's names its base directory, node A's does not. */
    private static ProcessHandle serverJvm(ClusterNodes.Node node) {
        Optional<ProcessHandle> found = ProcessHandle.allProcesses().filter(p -> {
            String line = p.info().commandLine().orElse("");
            return line.contains("jboss-modules.jar") && line.contains(NODE_B.name()) == (node == NODE_B);
        }).findFirst();
        return found.orElseThrow(() -> new IllegalStateException("No server JVM of " + node + " among this machine's processes"));
    }

    /** What a node's JVM holds: threads, resident memory, the cluster's signal thread, connections to PostgreSQL. */
    record Cost(String node, long threads, long signalThreads, long residentMiB, long databaseConnections) {

        static Cost of(ClusterNodes.Node node, ProcessHandle jvm) throws IOException {
            Path proc = Path.of("/proc", String.valueOf(jvm.pid()));
            long threads = 0;
            long signal = 0;
            try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    threads++;
                    // Linux keeps the first 15 characters of a Java thread's name.
                    if (Files.readString(task.resolve("comm")).strip().startsWith("statehouse-clus")) {
                        signal++;
                    }
                }
            }
            long rssKiB = Files.readAllLines(proc.resolve("status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
            return new Cost(node.name(), threads, signal, rssKiB / 1024, postgresConnections(proc));
        }

        /** The process's TCP connections to port 5432, by the socket inodes of its file descriptors. */
        private static long postgresConnections(Path proc) throws IOException {
            Set<String> sockets = new HashSet<>();
            try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
                for (Path fd : (Iterable<Path>) fds::iterator) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            sockets.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException closedMeanwhile) {
                        // A descriptor closed while we listed them.
                    }
                }
            }
            long count = 0;
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] columns = line.trim().split("\\s+");
                    boolean toPostgres = columns[2].endsWith(":1538");
                    if (toPostgres && sockets.contains(columns[9])) {
                        count++;
                    }
                }
            }
            return count;
        }

        String row(String what) {
            return String.format(Locale.ROOT, "%-70s %4d threads (%d of the cluster's signals), %5d MiB resident, %3d PostgreSQL connections%n",
                    what + " (" + node + ")", threads, signalThreads, residentMiB, databaseConnections);
        }
    }

    /** The LISTEN connections on the database, as PostgreSQL sees them: one per node is the mechanism's whole cost there. */
    record Listeners(long listening, long all) {

        /** Asks PostgreSQL with its own client, {@code psql}, as the node's database user. */
        static Listeners read() throws IOException, InterruptedException {
            String database = System.getenv("STATEHOUSE_DB_URL").replaceFirst(".*/", "");
            Process psql = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", System.getenv("STATEHOUSE_DB_USER"), "-d", database, "-Atc",
                    "select count(*) filter (where query ilike 'listen %') || ' ' || count(*) from pg_stat_activity"
                            + " where datname = current_database() and pid <> pg_backend_pid()")
                    .redirectErrorStream(true).start();
            String answer = new String(psql.getInputStream().readAllBytes()).strip();
            assertThat(psql.waitFor()).as("psql: %s", answer).isZero();
            String[] counts = answer.split(" ");
            return new Listeners(Long.parseLong(counts[0]), Long.parseLong(counts[1]));
        }

        String row() {
            return String.format(Locale.ROOT, "%-70s %d of %d connections to the database%n", "LISTEN connections (both nodes)", listening, all);
        }
    }

    private String startRun(EngineRest engine, String tool) {
        return engine.startRun(McpClientIT.RUN_PROCESS, McpClientIT.runVariables("bench", tool, "{}"));
    }

    private static double epochMillis() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1000.0 + now.getNano() / 1e6;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
