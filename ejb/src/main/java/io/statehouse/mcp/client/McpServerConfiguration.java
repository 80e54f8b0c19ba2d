package io.statehouse.mcp.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;

/**
 * Reads the MCP servers an operator configured: {@code statehouse.mcp.servers} lists their names,
 * and for each name {@code statehouse.mcp.server.<name>.url} and, optionally,
 * {@code statehouse.mcp.server.<name>.authorization} (environment variables
 * {@code STATEHOUSE_MCP_SERVERS}, {@code STATEHOUSE_MCP_SERVER_<NAME>_URL}, ...).
 */
public final class McpServerConfiguration {

    /** The demo MCP server in Statehouse's own web module, registered in the demo profile. */
    public static final String DEMO_SERVER = "demo";

    private McpServerConfiguration() {
    }

    public static List<McpServer> read(Config config, boolean demoProfile) {
        List<McpServer> servers = new ArrayList<>();
        Optional<String[]> names = config.getOptionalValue("statehouse.mcp.servers", String[].class);
        for (String name : names.orElse(new String[0])) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            String prefix = "statehouse.mcp.server." + trimmed + ".";
            String url = config.getOptionalValue(prefix + "url", String.class).orElseThrow(() -> new IllegalArgumentException(
                    "statehouse.mcp.servers names '" + trimmed + "', but " + prefix + "url is not set"));
            servers.add(new McpServer(trimmed, McpServer.parseUrl(trimmed, url),
                    config.getOptionalValue(prefix + "authorization", String.class).orElse(null), McpServer.Source.CONFIGURATION));
        }
        if (demoProfile && servers.stream().noneMatch(s -> s.name().equals(DEMO_SERVER))) {
            String port = String.valueOf(Integer.getInteger("jboss.http.port", 8080) + Integer.getInteger("jboss.socket.binding.port-offset", 0));
            String url = config.getOptionalValue("statehouse.mcp.demo.url", String.class)
                    .orElse("http://127.0.0.1:" + port + "/statehouse/demo-mcp");
            servers.add(new McpServer(DEMO_SERVER, McpServer.parseUrl(DEMO_SERVER, url), null, McpServer.Source.CONFIGURATION));
        }
        return servers;
    }
}
