package io.statehouse.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * HAProxy from Debian's packages in front of the cluster's nodes, as an operator runs it: with the
 * configuration that Statehouse ships ({@value #SHIPPED}), its addresses given as environment
 * variables. Round-robin, a 2025-11-25 MCP session kept on the node that opened it, a browser of the
 * Camunda web apps kept on its node by a cookie. Listens on a free port of 127.0.0.1, with its log
 * under {@code target/cluster/}. The shipped configuration names the node that served each response
 * in the header {@value #SERVED_BY}; each node's responses are counted on the stats page.
 */
final class HaproxyBalancer implements AutoCloseable {

    /** The response header in which HAProxy names the server (the node) that answered. */
    static final String SERVED_BY = "X-Statehouse-Node";
    /** The configuration operators get, relative to the ear module. */
    static final String SHIPPED = "src/main/haproxy/statehouse.cfg";
    private static final List<Path> SBIN = List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"), Path.of("/sbin"));

    private final Process process;
    private final int port;
    private final int statsPort;
    private final Path log;

    private HaproxyBalancer(Process process, int port, int statsPort, Path log) {
        this.process = process;
        this.port = port;
        this.statsPort = statsPort;
        this.log = log;
    }

    /** Writes the configuration for these nodes, checks it with {@code haproxy -c}, starts HAProxy and waits until every node is UP. */
    static HaproxyBalancer start(Path dir, ClusterNodes.Node... nodes) throws IOException, InterruptedException {
        Path haproxy = executable().orElseThrow(() -> new AssertionError(
                "HAProxy is not installed: ClusterIT puts it in front of the nodes (apt-get install haproxy; .ci/run installs it)"));
        Files.createDirectories(dir);
        int port = freePort();
        int statsPort = freePort();
        Path config = Path.of(SHIPPED).toAbsolutePath();
        if (nodes.length != 2) {
            throw new IllegalArgumentException("The shipped configuration names two nodes, node-a and node-b");
        }
        Map<String, String> addresses = Map.of("STATEHOUSE_LB_BIND", "127.0.0.1:" + port, "STATEHOUSE_LB_STATS_BIND", "127.0.0.1:" + statsPort,
                "STATEHOUSE_NODE_A", "127.0.0.1:" + nodes[0].httpPort(), "STATEHOUSE_NODE_B", "127.0.0.1:" + nodes[1].httpPort());
        Path log = dir.resolve("haproxy.log").toAbsolutePath();

        ProcessBuilder checking = new ProcessBuilder(haproxy.toString(), "-c", "-f", config.toString()).redirectErrorStream(true);
        checking.environment().putAll(addresses);
        Process check = checking.start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
            throw new AssertionError("haproxy -c refused " + config + ":\n" + checked);
        }
        ProcessBuilder running = new ProcessBuilder(haproxy.toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        running.environment().putAll(addresses);
        Process process = running.start();
        HaproxyBalancer balancer = new HaproxyBalancer(process, port, statsPort, log);
        Http.await("HAProxy on 127.0.0.1:" + port + " to see every node UP (config " + config + ", log " + log + ")",
                Duration.ofSeconds(30), () -> balancer.allUp(nodes.length));
        return balancer;
    }

    /** Where clients reach the cluster. */
    String base() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    /** The node that served a response, as HAProxy names it. */
    static String servedBy(HttpResponse<String> response) {
        return response.headers().firstValue(SERVED_BY).orElse("(no " + SERVED_BY + " header)");
    }

    /** Each node's count of 2xx responses so far, over both backends, from HAProxy's stats (health checks not counted). */
    Map<String, Long> responses2xx() {
        Map<String, Long> counts = new LinkedHashMap<>();
        List<String[]> rows = stats();
        List<String> header = List.of(rows.get(0));
        int column = header.indexOf("hrsp_2xx");
        for (String[] row : rows.subList(1, rows.size())) {
            if (row[0].startsWith("statehouse-") && !row[1].equals("BACKEND") && !row[1].equals("FRONTEND")) {
                counts.merge(row[1], row[column].isEmpty() ? 0 : Long.parseLong(row[column]), Long::sum);
            }
        }
        return counts;
    }

    private boolean allUp(int nodes) {
        if (!process.isAlive()) {
            throw new IllegalStateException("HAProxy exited with " + process.exitValue() + "; its log:\n" + ClusterNodes.tail(log));
        }
        try {
            List<String[]> rows = stats();
            int status = List.of(rows.get(0)).indexOf("status");
            return rows.stream().skip(1).filter(r -> r[0].equals("statehouse-nodes") && !r[1].equals("BACKEND"))
                    .filter(r -> r[status].equals("UP")).count() == nodes;
        } catch (UncheckedIOException notYetListening) {
            return false;
        }
    }

    /** The stats page as CSV: a header row (its first column named {@code # pxname}) and one row per proxy and server. */
    private List<String[]> stats() {
        HttpResponse<String> csv = Http.anonymous().get("http://127.0.0.1:" + statsPort + "/stats;csv", "Accept", "text/plain");
        List<String[]> rows = new ArrayList<>();
        csv.body().lines().filter(l -> !l.isBlank()).forEach(l -> rows.add(l.replaceFirst("^# ", "").split(",", -1)));
        return rows;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** {@code haproxy} on the PATH, or where Debian puts it ({@code /usr/sbin}, often not on a user's PATH). */
    private static Optional<Path> executable() {
        Stream<Path> path = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(p -> !p.isBlank()).map(Path::of);
        return Stream.concat(path, SBIN.stream()).map(p -> p.resolve("haproxy")).filter(Files::isExecutable).findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }
}
