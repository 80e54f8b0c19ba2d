package io.statehouse.mcp.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;

/**
 * Reads the remote MCP servers an operator configured: {@value #SERVERS} lists their names, and for
 * each name {@code statehouse.mcp.client.server.<name>.url} and, optionally,
 * {@code statehouse.mcp.client.server.<name>.authorization} (environment variables
 * {@code STATEHOUSE_MCP_CLIENT_SERVERS}, {@code STATEHOUSE_MCP_CLIENT_SERVER_<NAME>_URL}, ...).
 *
 * <p>The keys were {@code statehouse.mcp.servers} and {@code statehouse.mcp.server.<name>.*} before,
 * which read as if they configured Statehouse's own MCP server ({@code statehouse.mcp.server.tokens}
 * does). Those keys still work, each with a deprecation WARNING at start; a new key wins over its old one.
 */
public final class RemoteServerConfiguration {

    /** The demo MCP server in Statehouse's own web module, registered in the demo profile. */
    public static final String DEMO_SERVER = "demo";
    /** The names of the configured servers, comma-separated. */
    public static final String SERVERS = "statehouse.mcp.client.servers";
    static final String SERVER_PREFIX = "statehouse.mcp.client.server.";
    static final String DEPRECATED_SERVERS = "statehouse.mcp.servers";
    static final String DEPRECATED_SERVER_PREFIX = "statehouse.mcp.server.";

    private static final Logger LOG = Logger.getLogger(RemoteServerConfiguration.class.getName());

    private RemoteServerConfiguration() {
    }

    public static List<RemoteServer> read(Config config, boolean demoProfile) {
        List<RemoteServer> servers = new ArrayList<>();
        String names = value(config, SERVERS, DEPRECATED_SERVERS).orElse("");
        for (String name : Arrays.stream(names.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList()) {
            String url = value(config, SERVER_PREFIX + name + ".url", DEPRECATED_SERVER_PREFIX + name + ".url")
                    .orElseThrow(() -> new IllegalArgumentException(SERVERS + " names '" + name + "', but " + SERVER_PREFIX + name + ".url is not set"));
            String authorization = value(config, SERVER_PREFIX + name + ".authorization", DEPRECATED_SERVER_PREFIX + name + ".authorization")
                    .orElse(null);
            servers.add(new RemoteServer(name, RemoteServer.parseUrl(name, url), authorization, RemoteServer.Source.CONFIGURATION));
        }
        if (demoProfile && servers.stream().noneMatch(s -> s.name().equals(DEMO_SERVER))) {
            String port = String.valueOf(Integer.getInteger("jboss.http.port", 8080) + Integer.getInteger("jboss.socket.binding.port-offset", 0));
            String url = config.getOptionalValue("statehouse.mcp.demo.url", String.class)
                    .orElse("http://127.0.0.1:" + port + "/statehouse/demo-mcp");
            servers.add(new RemoteServer(DEMO_SERVER, RemoteServer.parseUrl(DEMO_SERVER, url), null, RemoteServer.Source.CONFIGURATION));
        }
        return servers;
    }

    /** The key's value, else its deprecated key's (saying so); a blank value counts as none. */
    private static Optional<String> value(Config config, String key, String deprecatedKey) {
        Optional<String> value = config.getOptionalValue(key, String.class).filter(v -> !v.isBlank());
        if (value.isPresent()) {
            return value;
        }
        Optional<String> old = config.getOptionalValue(deprecatedKey, String.class).filter(v -> !v.isBlank());
        old.ifPresent(v -> LOG.warning(() -> "The configuration key " + deprecatedKey + " is deprecated; set " + key
                + " instead (environment variable " + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + ")"));
        return old;
    }
}
