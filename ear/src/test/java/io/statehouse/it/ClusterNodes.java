package io.statehouse.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The two nodes of the ITs' Statehouse cluster on one PostgreSQL database (issue 13): node A is the
 * server Arquillian starts (ports 8080 and 9990), node B a second process of the same provisioned
 * server that this class starts, stops and kills. Node B runs with its own
 * {@code jboss.server.base.dir} under {@code target/cluster/node-b} (a copy of {@code standalone/}'s
 * configuration, the packaged EAR in its {@code deployments/}), a port offset of 100 (8180 and 10090),
 * its own node identity and log, and node A's environment, so the same {@code STATEHOUSE_DB_*}
 * database. Loopback only; every wait is bounded.
 */
final class ClusterNodes implements AutoCloseable {

    private static final Path SERVER_HOME = Path.of(System.getProperty("statehouse.server.home", "target/wildfly-39.0.1.Final"));
    private static final String SERVER_CONFIG = System.getProperty("statehouse.server.config", "statehouse.xml");
    private static final Path EAR = Path.of(System.getProperty("statehouse.ear", "target/statehouse.ear"));
    static final Path CLUSTER_DIR = Path.of(System.getProperty("statehouse.it.cluster.dir", "target/cluster"));
    private static final String JVM = System.getProperty("statehouse.it.cluster.jvm", "-Xms256m -Xmx1g");
    private static final Duration START_LIMIT = Duration.ofSeconds(180);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);
    private static final int PORT_OFFSET = 100;
    /** The boot log's file in {@code logging.properties}. */
    private static final Pattern BOOT_LOG_FILE = Pattern.compile("(?m)^handler\\.FILE\\.fileName=.*$");
        /** The server configuration's {@code <deployments>} element: what was deployed through the management API. */
    private static final Pattern DEPLOYMENTS = Pattern.compile("\\s*<deployments\\s*/>|\\s*<deployments>.*?</deployments>", Pattern.DOTALL);

    /** The server Arquillian started; its log is the provisioned server's own. */
    static final Node NODE_A = new Node("node-a", 8080, 9990, SERVER_HOME.resolve("standalone/log/server.log"));
    /** The second node, started by {@link #startNodeB()}. */
    static final Node NODE_B = new Node("node-b", 8080 + PORT_OFFSET, 9990 + PORT_OFFSET,
            CLUSTER_DIR.resolve("node-b/log/server.log"));

    /**
     * One node of the cluster as the tests reach it: its HTTP port (Statehouse, the engine REST API,
     * the web apps), its management port (health) and its server log.
     */
    record Node(String name, int httpPort, int managementPort, Path serverLog) {

        String base() {
            return "http://127.0.0.1:" + httpPort;
        }

        String engineRest() {
            return base() + "/statehouse/engine-rest";
        }

        String mcp() {
            return base() + McpServerIT.ENDPOINT;
        }

        String ready() {
            return "http://127.0.0.1:" + managementPort + "/health/ready";
        }

        /** Whether this node's server log names {@code text} (a worker id it logged when it started). */
        boolean logged(String text) {
            try {
                return Files.exists(serverLog) && Files.readString(serverLog).contains(text);
            } catch (IOException e) {
                throw new UncheckedIOException("Reading " + serverLog, e);
            }
        }

        @Override
        public String toString() {
            return name + " (" + base() + ")";
        }
    }

    private final Path baseDir;
    private final Path console;
    private final Map<String, String> settings;
    private Process script;
    private boolean cleanupRegistered;

    private ClusterNodes(Path baseDir, Map<String, String> settings) {
        this.baseDir = baseDir;
        this.console = baseDir.resolve("console.log");
        this.settings = Map.copyOf(settings);
    }

    /**
     * Makes node B's server base directory anew (configuration and the EAR, no data of an earlier run),
     * starts it and waits until it is ready and serves {@code /statehouse/mcp}.
     */
    static ClusterNodes startNodeB() throws IOException {
        return startNodeB(Map.of());
    }

    /** The same, with these environment variables set on node B beside node A's (its own settings). */
    static ClusterNodes startNodeB(Map<String, String> settings) throws IOException {
        requirePostgreSql();
        ClusterNodes nodeB = new ClusterNodes(CLUSTER_DIR.resolve(NODE_B.name()).toAbsolutePath(), settings);
        nodeB.prepare();
        nodeB.start();
        return nodeB;
    }

    /**
     * The node that holds an MCP tool call, by the worker that locked its external task: the node whose
     * name the worker id carries ({@code STATEHOUSE_NODE_ID}), else the node whose log names the worker
     * (each worker logs its id when it starts).
     */
    static Node holderOf(String workerId) {
        if (workerId.contains(NODE_A.name()) != workerId.contains(NODE_B.name())) {
            return workerId.contains(NODE_A.name()) ? NODE_A : NODE_B;
        }
        boolean onA = NODE_A.logged(workerId);
        boolean onB = NODE_B.logged(workerId);
        if (onA == onB) {
            throw new AssertionError("Cannot tell which node holds the call of worker " + workerId + ": named in the log of "
                    + (onA ? "both nodes" : "neither node") + " (" + NODE_A.serverLog().toAbsolutePath() + ", "
                    + NODE_B.serverLog().toAbsolutePath() + ")");
        }
        return onA ? NODE_A : NODE_B;
    }

    private static void requirePostgreSql() {
        Map<String, String> env = System.getenv();
        if (!"postgresql".equals(env.get("STATEHOUSE_DB_DRIVER")) || env.get("STATEHOUSE_DB_URL") == null) {
            throw new IllegalStateException("A second node needs node A's PostgreSQL database, but the test JVM has STATEHOUSE_DB_DRIVER="
                    + env.get("STATEHOUSE_DB_DRIVER") + " and STATEHOUSE_DB_URL=" + env.get("STATEHOUSE_DB_URL")
                    + " (failsafe's it-postgresql execution sets them; run with -Ppostgresql)");
        }
    }

    private void prepare() throws IOException {
        if (!Files.isRegularFile(EAR)) {
            throw new IllegalStateException(EAR.toAbsolutePath() + " is missing: node B deploys the packaged EAR (mvn verify)");
        }
        Path standalone = SERVER_HOME.resolve("standalone");
        if (!Files.isRegularFile(standalone.resolve("configuration").resolve(SERVER_CONFIG))) {
            throw new IllegalStateException(standalone.resolve("configuration").resolve(SERVER_CONFIG).toAbsolutePath()
                    + " is missing: the build provisions the server (mvn verify)");
        }
        deleteTree(baseDir);
        Path configuration = standalone.resolve("configuration");
        try (Stream<Path> files = Files.walk(configuration)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = configuration.relativize(file);
                // Node A's configuration history is its own.
                if (relative.startsWith("standalone_xml_history")) {
                    continue;
                }
                Path target = baseDir.resolve("configuration").resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        // Node A's configuration names the EAR Arquillian deployed to it, as content in node A's data directory;
        // node B deploys its own copy from deployments/ instead (two would be a duplicate resource, and a failed boot).
        Path config = baseDir.resolve("configuration").resolve(SERVER_CONFIG);
        Files.writeString(config, DEPLOYMENTS.matcher(Files.readString(config)).replaceAll(""));
        // The boot log's file, until the logging subsystem takes over, is node A's in the copied logging.properties.
        Path bootLogging = baseDir.resolve("configuration").resolve("logging.properties");
        if (Files.isRegularFile(bootLogging)) {
            Files.writeString(bootLogging, BOOT_LOG_FILE.matcher(Files.readString(bootLogging))
                    .replaceAll(Matcher.quoteReplacement("handler.FILE.fileName=" + baseDir.resolve("log").resolve("server.log").toAbsolutePath())));
        }
        Files.createDirectories(baseDir.resolve("deployments"));
        Files.copy(EAR, baseDir.resolve("deployments").resolve(EAR.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Starts node B on its prepared base directory (again, after {@link #stop()} or {@link #kill()}) and waits until it serves. */
    void start() throws IOException {
        if (script != null && script.isAlive()) {
            throw new IllegalStateException("Node B runs already");
        }
        for (int port : List.of(NODE_B.httpPort(), NODE_B.managementPort(), 8443 + PORT_OFFSET, 9993 + PORT_OFFSET,
                4712 + PORT_OFFSET, 4713 + PORT_OFFSET)) {
            requireFree(port);
        }
        Files.deleteIfExists(baseDir.resolve("deployments").resolve(EAR.getFileName() + ".failed"));
        ProcessBuilder builder = new ProcessBuilder(SERVER_HOME.resolve("bin/standalone.sh").toAbsolutePath().toString(),
                "-c", SERVER_CONFIG,
                "-Djboss.server.base.dir=" + baseDir,
                "-Djboss.socket.binding.port-offset=" + PORT_OFFSET,
                "-Djboss.bind.address=127.0.0.1",
                "-Djboss.bind.address.management=127.0.0.1",
                "-Djboss.node.name=" + NODE_B.name(),
                "-Djboss.tx.node.id=" + NODE_B.name())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        // Node A's environment (the failsafe execution's): the same STATEHOUSE_DB_* database, users and providers.
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("JBOSS_HOME", SERVER_HOME.toAbsolutePath().toString());
        env.remove("JAVA_OPTS");
        env.put("JBOSS_JAVA_SIZING", JVM);
        // standalone.sh then relays TERM to the server's JVM, which stops in order.
        env.put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        env.put("STATEHOUSE_NODE_ID", NODE_B.name());
        env.putAll(settings);
        script = builder.start();
        if (!cleanupRegistered) {
            // A test JVM that ends early (a failsafe timeout) must not leave node B holding its ports for the next build.
            Runtime.getRuntime().addShutdownHook(new Thread(this::killQuietly, "node-b-cleanup"));
            cleanupRegistered = true;
        }
        awaitServing();
    }

    private void awaitServing() {
        Http anonymous = Http.anonymous();
        Http demo = Http.as("demo", "demo");
        Path failed = baseDir.resolve("deployments").resolve(EAR.getFileName() + ".failed");
        long began = System.nanoTime();
        Http.await(NODE_B + " to be ready (" + NODE_B.ready() + ") and to serve " + NODE_B.mcp() + "; console " + console
                + ", log " + NODE_B.serverLog().toAbsolutePath(), START_LIMIT, () -> {
                    if (!script.isAlive()) {
                        throw new IllegalStateException("Node B exited with " + script.exitValue() + " while starting; its console:\n" + tail(console));
                    }
                    if (Files.exists(failed)) {
                        throw new IllegalStateException("Node B could not deploy the EAR: " + read(failed) + "\nits log:\n" + tail(NODE_B.serverLog()));
                    }
                    return answers(() -> anonymous.get(NODE_B.ready()), r -> r.statusCode() == 200 && r.body().contains("\"UP\""))
                            && answers(() -> StatelessMcp.post(demo, NODE_B.mcp(), "server/discover", "{}", "{}"), r -> r.statusCode() == 200);
                });
        System.out.printf("ClusterIT: %s started and serves after %.1f s%n", NODE_B, (System.nanoTime() - began) / 1e9);
    }

    private static boolean answers(Supplier<HttpResponse<String>> request, Predicate<HttpResponse<String>> expected) {
        try {
            return expected.test(request.get());
        } catch (UncheckedIOException notYetListening) {
            return false;
        }
    }

    /** Stops node B in order (TERM, as an operator's service manager does) and waits until it has exited. */
    void stop() throws InterruptedException {
        if (script == null || !script.isAlive()) {
            return;
        }
        Optional<ProcessHandle> jvm = serverJvm();
        // TERM to the JVM: WildFly stops in order and standalone.sh ends with it.
        jvm.ifPresentOrElse(ProcessHandle::destroy, script::destroy);
        if (!script.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS) || jvm.map(ProcessHandle::isAlive).orElse(false)) {
            kill();
            throw new AssertionError("Node B did not stop within " + STOP_LIMIT + " and was killed; its log: " + NODE_B.serverLog().toAbsolutePath());
        }
    }

    /** Kills node B's JVM with SIGKILL ({@code kill -9}): a crash, nothing shuts down in order. */
    void kill() throws InterruptedException {
        if (script == null) {
            return;
        }
        Optional<ProcessHandle> jvm = serverJvm();
        jvm.ifPresent(ProcessHandle::destroyForcibly);
        script.destroyForcibly();
        if (!script.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("The script of node B did not end within 10 s of kill -9");
        }
        jvm.ifPresent(handle -> handle.onExit().orTimeout(10, TimeUnit.SECONDS).join());
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void killQuietly() {
        if (script != null && script.isAlive()) {
            serverJvm().ifPresent(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
    }

    /** The server's JVM, started by standalone.sh. */
    private Optional<ProcessHandle> serverJvm() {
        return script.descendants().filter(p -> p.info().commandLine().orElse("").contains("jboss-modules.jar")).findFirst();
    }

    private static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            // Free: closed at once.
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " of 127.0.0.1 is taken, and node B needs it (port offset " + PORT_OFFSET
                    + "): does a node B of an earlier run still run? (ps -ef | grep node-b)", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** The last 40 lines of a log, for a failure message. */
    static String tail(Path log) {
        if (!Files.exists(log)) {
            return "(no " + log + ")";
        }
        List<String> lines = read(log).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
