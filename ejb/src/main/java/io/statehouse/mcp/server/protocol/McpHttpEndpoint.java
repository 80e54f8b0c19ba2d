package io.statehouse.mcp.server.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.ProtocolVersions;

/**
 * The front door of {@code /statehouse/mcp}: what every request passes, whichever era it speaks
 * (the {@code Host} and {@code Origin} check, a known {@code MCP-Protocol-Version}, a JSON-RPC body
 * of acceptable type and size), then routed by its version: MCP 2026-07-28 to the stateless server,
 * everything else to the stateful sessions.
 */
public final class McpHttpEndpoint extends HttpServlet {

    /** The request attribute that the authentication filter sets to the caller's user id. */
    public static final String USER_ATTRIBUTE = "io.statehouse.mcp.user";

    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 4 * 1024 * 1024;

    private final transient McpJsonMapper json;
    private final transient AllowedHosts allowedHosts;
    private final transient StatefulSessions sessions;
    private final transient StatelessResponses stateless;

    public McpHttpEndpoint(AllowedHosts allowedHosts, StatefulSessions sessions, StatelessResponses stateless) {
        this.json = McpJsonDefaults.getMapper();
        this.allowedHosts = Objects.requireNonNull(allowedHosts, "allowedHosts");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.stateless = Objects.requireNonNull(stateless, "stateless");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!admitted(request, response)) {
            return;
        }
        String accept = Objects.toString(request.getHeader(HttpHeaders.ACCEPT), "");
        if (!accept.contains(HttpReplies.JSON) || !accept.contains(HttpReplies.EVENT_STREAM)) {
            HttpReplies.error(json, response, 406, null, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "The Accept header must name both application/json and text/event-stream");
            return;
        }
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(HttpReplies.JSON)) {
            HttpReplies.error(json, response, 415, null, McpSchema.ErrorCodes.INVALID_REQUEST, "The body must be application/json");
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY) {
            HttpReplies.error(json, response, 413, null, McpSchema.ErrorCodes.INVALID_REQUEST, "The body is larger than " + MAX_BODY + " bytes");
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            String body = new String(request.getInputStream().readNBytes(MAX_BODY + 1), StandardCharsets.UTF_8);
            if (body.length() > MAX_BODY) {
                HttpReplies.error(json, response, 413, null, McpSchema.ErrorCodes.INVALID_REQUEST, "The body is larger than " + MAX_BODY + " bytes");
                return;
            }
            message = McpSchema.deserializeJsonRpcMessage(json, body);
        } catch (IOException | RuntimeException e) {
            HttpReplies.error(json, response, 400, null, McpSchema.ErrorCodes.PARSE_ERROR, "Not a JSON-RPC message: " + HttpReplies.rootMessage(e));
            return;
        }
        if (!knownVersion(request, response, message instanceof McpSchema.JSONRPCRequest call ? call.id() : null)) {
            return;
        }
        if (stateless(request)) {
            stateless.serve(message, user(request), request, response);
        } else {
            sessions.post(message, user(request), request, response);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (admitted(request, response) && !statelessRefuses(request, response)) {
            sessions.listen(request, response);
        }
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (admitted(request, response) && !statelessRefuses(request, response)) {
            sessions.end(request, response);
        }
    }

    @Override
    public void destroy() {
        stateless.stop();
        sessions.closeGracefully().subscribe();
        super.destroy();
    }

    private static boolean stateless(HttpServletRequest request) {
        return StatelessServer.VERSION.equals(request.getHeader(HttpHeaders.PROTOCOL_VERSION));
    }

    private static String user(HttpServletRequest request) {
        Object user = request.getAttribute(USER_ATTRIBUTE);
        return user == null ? null : user.toString();
    }

    /** MCP 2026-07-28 has no session to listen to or end: GET and DELETE are not allowed in it. */
    private static boolean statelessRefuses(HttpServletRequest request, HttpServletResponse response) {
        if (stateless(request)) {
            response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            response.setHeader("Allow", "POST");
            return true;
        }
        return false;
    }

    private boolean admitted(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (sessions.closing()) {
            HttpReplies.error(json, response, 503, null, McpSchema.ErrorCodes.INTERNAL_ERROR, "The server is shutting down");
            return false;
        }
        try {
            allowedHosts.validate(HttpReplies.headers(request));
        } catch (ServerTransportSecurityException e) {
            HttpReplies.error(json, response, e.getStatusCode(), null, McpSchema.ErrorCodes.INVALID_REQUEST, e.getMessage());
            return false;
        }
        return request.getMethod().equals("POST") || knownVersion(request, response, null);
    }

    /** An unknown {@code MCP-Protocol-Version} gets -32022 with the versions this server speaks, answering the request's id when it has one. */
    private boolean knownVersion(HttpServletRequest request, HttpServletResponse response, Object id) throws IOException {
        String version = request.getHeader(HttpHeaders.PROTOCOL_VERSION);
        if (version != null && !sessions.protocolVersions().contains(version) && !ProtocolVersions.MCP_2024_11_05.equals(version)
                && !StatelessServer.VERSION.equals(version)) {
            HttpReplies.json(json, response, 400, StatelessServer.error(id, StatelessServer.UNSUPPORTED_VERSION, "Unsupported MCP-Protocol-Version "
                    + version + "; this server speaks " + String.join(", ", StatelessServer.SUPPORTED),
                    Map.of("supported", StatelessServer.SUPPORTED, "requested", version)));
            return false;
        }
        return true;
    }
}
