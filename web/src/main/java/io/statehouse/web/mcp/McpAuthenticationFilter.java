package io.statehouse.web.mcp;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.statehouse.mcp.server.engine.McpServerEndpoint;
import io.statehouse.mcp.server.protocol.McpHttpEndpoint;

/**
 * Every request to the MCP endpoint authenticates: HTTP Basic against the engine's users or a
 * configured bearer token. Otherwise 401 with a JSON-RPC error body, before the MCP server sees it.
 */
class McpAuthenticationFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    private final transient McpServerEndpoint endpoint;

    McpAuthenticationFilter(McpServerEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        Optional<String> user = endpoint.authenticate(request.getHeader("Authorization"));
        if (user.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Basic realm=\"Statehouse MCP\", Bearer realm=\"Statehouse MCP\"");
            response.setContentType("application/json");
            response.getWriter().write("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,"
                    + "\"message\":\"Authentication required: HTTP Basic with a Statehouse user, or a bearer token\"}}");
            return;
        }
        request.setAttribute(McpHttpEndpoint.USER_ATTRIBUTE, user.get());
        chain.doFilter(request, response);
    }
}
