package io.statehouse.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An MCP server on Node over Streamable HTTP on a free port of 127.0.0.1, from the npm packages the
 * build installs ({@code ear/src/test/node}): the real {@code @modelcontextprotocol/server-everything}
 * (the MCP project's reference server), or the benchmark's own server on the TypeScript SDK.
 */
final class NodeMcpServer implements AutoCloseable {

    private static final Path NODE_DIR = Path.of(System.getProperty("statehouse.it.node.dir", "target/node"));

    private final Process process;
    private final int port;
    private final Path log;

    private NodeMcpServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** {@code @modelcontextprotocol/server-everything} in its Streamable HTTP mode. */
    static NodeMcpServer everything() throws IOException {
        return start("node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp");
    }

    /**
     * {@code rounds-server.mjs}: a server on the TypeScript SDK v2 that speaks MCP 2026-07-28, whose
     * tool {@code plan_trip} asks in multi round-trip requests; {@code /calls} tells what it was sent.
     */
    static NodeMcpServer rounds() throws IOException {
        return start("rounds-server.mjs");
    }

    /**
     * {@code tasks-server.mjs}: a server on the TypeScript SDK v2 with {@code @modelcontextprotocol/ext-tasks}
     * that offers the tasks extension; its tools become tasks, and {@code /calls} tells what it was sent.
     */
    static NodeMcpServer tasks() throws IOException {
        return start("tasks-server.mjs");
    }

    /** What {@code rounds-server.mjs} saw, round by round (or {@code tasks-server.mjs}, request by request). */
    String calls() {
        return Http.anonymous().get(url().replace("/mcp", "/calls")).body();
    }

    /** {@code bench-server.mjs}: tools that report when the server sent a request and got its answer. */
    static NodeMcpServer bench() throws IOException {
        return start("bench-server.mjs");
    }

    /**
     * {@code openai-stand-in.mjs}: a stand-in for a hosted OpenAI-compatible API, on the port the
     * server's sampling provider {@code standin} is configured with (see the failsafe configuration).
     */
    static NodeMcpServer openAiStandIn() throws IOException {
        return start("openai-stand-in.mjs", OPENAI_STAND_IN_PORT);
    }

    static final int OPENAI_STAND_IN_PORT = 18091;

    private static NodeMcpServer start(String script, String... arguments) throws IOException {
        return start(script, 0, arguments);
    }

    private static NodeMcpServer start(String script, int fixedPort, String... arguments) throws IOException {
        Path main = NODE_DIR.resolve(script);
        if (!Files.exists(main)) {
            throw new IllegalStateException(main + " is missing; the build installs it with npm (ear/src/test/node/package.json)");
        }
        int port = fixedPort;
        if (port == 0) {
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
        }
        Path log = Path.of("target", "node-mcp-server-" + port + ".log");
        var command = new ArrayList<>(List.of("node", main.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("PORT", String.valueOf(port));
        NodeMcpServer server = new NodeMcpServer(builder.start(), port, log);
        Http.await(script + " to listen on port " + port + " (log: " + log.toAbsolutePath() + ")", Duration.ofSeconds(30),
                server::listening);
        return server;
    }

    /** Its Streamable HTTP endpoint. */
    String url() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    private boolean listening() {
        if (!process.isAlive()) {
            throw new IllegalStateException("The Node MCP server exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
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
