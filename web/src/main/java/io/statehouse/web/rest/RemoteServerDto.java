package io.statehouse.web.rest;

import io.statehouse.mcp.client.RemoteServer;

/**
 * An MCP server as the REST API shows it: the authorization header is a secret, so only whether
 * there is one is shown.
 */
public record RemoteServerDto(String name, String url, boolean authorization, String source) {

    static RemoteServerDto of(RemoteServer server) {
        return new RemoteServerDto(server.name(), server.url().toString(), server.authorization() != null, server.source().id());
    }
}
