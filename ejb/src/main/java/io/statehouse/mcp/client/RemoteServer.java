package io.statehouse.mcp.client;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A remote MCP server that agent runs may call, as the registry holds it.
 *
 * @param name          how BPMN models refer to it ({@code mcpServer}); letters, digits, {@code -}, {@code _}, {@code .}
 * @param url           its Streamable HTTP endpoint
 * @param authorization the value of the {@code Authorization} header sent with every request, or null; a secret,
 *                      never shown by {@link #toString()} or the REST API
 * @param source        where the entry comes from: configuration wins over the REST API and cannot be changed there
 */
public record RemoteServer(String name, URI url, String authorization, Source source) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /** Where a registry entry comes from. */
    public enum Source {
        CONFIGURATION, API;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RemoteServer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(source, "source");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("MCP server name '" + name
                    + "' must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || url.getHost() == null) {
            throw new IllegalArgumentException("MCP server '" + name + "': the URL must be an absolute http or https URL, not '" + url + "'");
        }
        if (authorization != null && authorization.isBlank()) {
            authorization = null;
        }
    }

    /** Reads a URL that an operator wrote, with a message that names the server when it is not one. */
    public static URI parseUrl(String name, String url) {
        try {
            return URI.create(Objects.requireNonNull(url, "url").trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MCP server '" + name + "': '" + url + "' is not a URL: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "RemoteServer[" + name + " " + url + (authorization == null ? "" : " (with authorization)") + ", " + source.id() + "]";
    }
}
