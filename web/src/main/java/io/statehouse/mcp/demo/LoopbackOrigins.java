package io.statehouse.mcp.demo;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

import io.modelcontextprotocol.server.transport.HeaderAccessor;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;

/**
 * The demo server's answer to the specification's rule that a Streamable HTTP server validates the
 * {@code Origin} header (DNS rebinding): programs send none and are let through; browsers are let
 * through only from a page on this machine (e.g. the MCP Inspector on localhost).
 */
final class LoopbackOrigins {

    private static final List<String> LOOPBACK_HOSTS = List.of("localhost", "127.0.0.1", "[::1]", "::1");

    private LoopbackOrigins() {
    }

    static void validate(HeaderAccessor headers) throws ServerTransportSecurityException {
        List<String> origins = headers.getHeader("Origin");
        if (origins == null) {
            return;
        }
        for (String origin : origins) {
            if (!allowed(origin)) {
                throw new ServerTransportSecurityException(403,
                        "Origin " + origin + " is not allowed: the demo MCP server accepts browsers on this machine only");
            }
        }
    }

    static boolean allowed(String origin) {
        if (origin == null || origin.isBlank()) {
            return true;
        }
        try {
            URI uri = new URI(origin.trim());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null && LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
