package io.statehouse.mcp.server.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * Who Statehouse's MCP server says it is, declared once for both eras: its name and version, its
 * instructions, and its capabilities (the stateful era's {@code initialize} and the 2026-07-28
 * {@code server/discover} answer from here).
 */
final class ServerIdentity {

    static final String NAME = "statehouse";
    static final String VERSION = "0.1.0";
    static final String INSTRUCTIONS = "Tools of this server are BPMN processes on Statehouse. A call starts a run and answers when it ends;"
            + " runs may wait for people, so calls may take long, and a run that waits for its caller asks it.";

    /** Tools, resources and prompts follow deployments; completions come from the catalog; a run's steps are debug logs. */
    static final McpSchema.ServerCapabilities CAPABILITIES = McpSchema.ServerCapabilities.builder().tools(true).logging()
            .resources(true, true).prompts(true).completions().build();

    private ServerIdentity() {
    }

    /** As {@code _meta} names the server in every 2026-07-28 result. */
    static Map<String, Object> serverInfo() {
        return Map.of("name", NAME, "version", VERSION);
    }

    /**
     * The capabilities as the 2026-07-28 era declares them: the same, less logging, which that era
     * leaves to the caller's own observability (SEP-2577 deprecates it).
     */
    static Map<String, Object> statelessCapabilities(McpJsonMapper json) {
        Map<String, Object> capabilities = new LinkedHashMap<>(json.convertValue(CAPABILITIES, new TypeRef<Map<String, Object>>() { }));
        capabilities.remove("logging");
        return capabilities;
    }
}
