package io.statehouse.mcp.client;

import java.util.List;

/** A run names an MCP server that the registry does not hold. */
public class UnknownRemoteServerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownRemoteServerException(String name, List<String> known) {
        super("MCP server '" + name + "' is not registered; registered are: "
                + (known.isEmpty() ? "none (see " + RemoteServerConfiguration.SERVERS + " or /statehouse/api/mcp-servers)" : String.join(", ", known)));
    }
}
