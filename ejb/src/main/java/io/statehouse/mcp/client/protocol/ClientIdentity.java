package io.statehouse.mcp.client.protocol;

import java.util.Map;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * How Statehouse introduces itself to remote MCP servers, declared once for both eras: its name and
 * version, and what it can answer (form and URL elicitation, sampling; roots are answered as none).
 */
final class ClientIdentity {

    /** As {@code initialize} names the client in the stateful era. */
    static final McpSchema.Implementation INFO = new McpSchema.Implementation("statehouse", "Statehouse", "0.1.0");

    /** The stateful era's capabilities. */
    static final McpSchema.ClientCapabilities CAPABILITIES = McpSchema.ClientCapabilities.builder().elicitation(true, true).sampling().build();

    private ClientIdentity() {
    }

    /** As {@code _meta} names the client in every 2026-07-28 request. */
    static Map<String, Object> info() {
        return Map.of("name", INFO.name(), "version", INFO.version());
    }

    /** The same capabilities as the 2026-07-28 envelope declares them. */
    static Map<String, Object> capabilities() {
        return Map.of("elicitation", Map.of("form", Map.of(), "url", Map.of()), "sampling", Map.of());
    }
}
