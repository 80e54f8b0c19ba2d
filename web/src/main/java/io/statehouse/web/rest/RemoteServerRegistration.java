package io.statehouse.web.rest;

/**
 * What a client sends to register an MCP server.
 *
 * @param url           its Streamable HTTP endpoint (http or https)
 * @param authorization the {@code Authorization} header value to send, e.g. {@code Bearer ...}; optional
 */
public record RemoteServerRegistration(String url, String authorization) {
}
