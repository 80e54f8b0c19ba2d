package io.statehouse.mcp.server.protocol;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.modelcontextprotocol.server.transport.HeaderAccessor;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;

/**
 * The MCP endpoint's defence against DNS rebinding: the {@code Host} a request names and the
 * {@code Origin} a browser sends must be this machine (localhost, 127.0.0.1, [::1]) or a host the
 * operator allowed ({@code statehouse.mcp.server.allowed-hosts}). Programs that send no
 * {@code Origin} are let through on the host check alone.
 */
public final class AllowedHosts {

    private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final Set<String> hosts;

    public AllowedHosts(List<String> configured) {
        this.hosts = Stream.concat(LOOPBACK.stream(), configured.stream())
                .map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    public void validate(HeaderAccessor headers) throws ServerTransportSecurityException {
        List<String> host = headers.getHeader("Host");
        if (host != null) {
            for (String value : host) {
                if (!hosts.contains(hostOf(value))) {
                    throw new ServerTransportSecurityException(403, "Host " + value
                            + " is not allowed for the MCP endpoint; an operator allows it with statehouse.mcp.server.allowed-hosts");
                }
            }
        }
        List<String> origins = headers.getHeader("Origin");
        if (origins != null) {
            for (String origin : origins) {
                if (!originAllowed(origin)) {
                    throw new ServerTransportSecurityException(403, "Origin " + origin
                            + " is not allowed for the MCP endpoint; an operator allows its host with statehouse.mcp.server.allowed-hosts");
                }
            }
        }
    }

    boolean originAllowed(String origin) {
        if (origin == null || origin.isBlank()) {
            return true;
        }
        try {
            URI uri = new URI(origin.trim());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && hosts.contains(uri.getHost().toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static String hostOf(String hostHeader) {
        String value = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? value : value.substring(0, end + 1);
        }
        int colon = value.lastIndexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }
}
