package io.statehouse.mcp.demo;

import java.time.Clock;
import java.time.Duration;

import jakarta.servlet.http.HttpServlet;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;

/**
 * The demo MCP server: the SDK's Streamable HTTP servlet and a synchronous server with the demo
 * tools on it. Built once per deployment; the servlet is registered by
 * {@link DemoMcpServerListener}.
 */
final class DemoMcpServer implements AutoCloseable {

    static final String NAME = "statehouse-demo";
    static final String VERSION = "0.1.0";

    /**
     * How long the server waits for anything it asks of the client. Elicitations are answered by
     * people in a tasklist, which takes hours; the SDK's default (10 s) would fail them all.
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofHours(24);

    static final String INSTRUCTIONS = "Statehouse's demo expense tracker. record_expense asks a person for"
            + " the details (elicitation), analyze_spending asks your model for a summary (sampling),"
            + " generate_report reports progress and log messages. The data is made up and kept in memory.";

    private final HttpServletStreamableServerTransportProvider transport;
    private final McpSyncServer server;

    private DemoMcpServer(HttpServletStreamableServerTransportProvider transport, McpSyncServer server) {
        this.transport = transport;
        this.server = server;
    }

    /**
     * Builds the server for the given endpoint (the servlet's path inside its web application; the
     * transport matches the end of the request URI against it).
     */
    static DemoMcpServer start(String endpoint, ExpenseStore store, Clock clock) {
        McpJsonMapper jsonMapper = McpJsonDefaults.getMapper();
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(jsonMapper)
                .mcpEndpoint(endpoint)
                .httpHeaderValidator(LoopbackOrigins::validate)
                .build();
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo(NAME, VERSION)
                .instructions(INSTRUCTIONS)
                .capabilities(ServerCapabilities.builder().tools(false).logging().build())
                .requestTimeout(REQUEST_TIMEOUT)
                .jsonMapper(jsonMapper)
                .tools(new DemoTools(store, clock, jsonMapper).specifications())
                .build();
        return new DemoMcpServer(transport, server);
    }

    /** The SDK's server, for tests that look at what it lists. */
    McpSyncServer mcpServer() {
        return server;
    }

    /** The servlet to register; it must be async-supported. */
    HttpServlet servlet() {
        return transport;
    }

    /** Closes the sessions without waiting for them: a pending elicitation fails rather than holding up undeploy. */
    @Override
    public void close() {
        server.close();
    }
}
