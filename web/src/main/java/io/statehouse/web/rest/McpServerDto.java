package io.statehouse.web.rest;

import io.statehouse.mcp.client.McpServer;

/**
 * An MCP server as the REST API shows it: the authorization header is a secret, so only whether
 * there is one is shown.
 */
public record McpServerDto(String name, String url, boolean authorization, String source) {

    static McpServerDto of(McpServer server) {
        return new McpServerDto(server.name(), server.url().toString(), server.authorization() != null, server.source().id());
    }
}
