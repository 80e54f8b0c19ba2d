package io.statehouse.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code @modelcontextprotocol/server-everything} (the MCP project's reference server), run
 * on Node over Streamable HTTP on a free port of 127.0.0.1, installed by the build from npm.
 */
final class EverythingServer implements AutoCloseable {

    private static final Path NODE_DIR = Path.of(System.getProperty("statehouse.it.node.dir", "target/node"));

    private final Process process;
    private final int port;
    private final Path log;

    private EverythingServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static EverythingServer start() throws IOException {
        Path main = NODE_DIR.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
        if (!Files.exists(main)) {
            throw new IllegalStateException(main + " is missing; the build installs it with npm (ear/src/test/node/package.json)");
        }
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = Path.of("target", "server-everything-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder("node", main.toString(), "streamableHttp")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("PORT", String.valueOf(port));
        EverythingServer server = new EverythingServer(builder.start(), port, log);
        Http.await("server-everything to listen on port " + port + " (log: " + log.toAbsolutePath() + ")", Duration.ofSeconds(30),
                server::listening);
        return server;
    }

    /** Its Streamable HTTP endpoint. */
    String url() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    private boolean listening() {
        if (!process.isAlive()) {
            throw new IllegalStateException("server-everything exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
