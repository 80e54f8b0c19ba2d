package io.statehouse.mcp.server.protocol;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.HeaderAccessor;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * How the MCP endpoint answers over HTTP, the same for both eras: a JSON body with its status, a
 * JSON-RPC error, an event stream that leaves the container thread free, and the end of such a stream.
 */
final class HttpReplies {

    static final String EVENT_STREAM = "text/event-stream";
    static final String JSON = "application/json";

    private HttpReplies() {
    }

    static void json(McpJsonMapper json, HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType(JSON);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(body));
    }

    /** A JSON-RPC error; as a map, not the SDK's record, because its id may be null when the request's is unknown. */
    static void error(McpJsonMapper json, HttpServletResponse response, int status, Object id, int code, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        body.put("id", id);
        body.put("error", Map.of("code", code, "message", message));
        json(json, response, status, body);
    }

    /** Starts the response as an event stream in async mode, with no timeout: the container thread returns. */
    static AsyncContext startStream(HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(EVENT_STREAM);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        return async;
    }

    /** Runs {@code ended} once, however the stream ends (completed, timed out, broken). */
    static void onEnd(AsyncContext async, Runnable ended) {
        AtomicBoolean once = new AtomicBoolean();
        Runnable end = () -> {
            if (once.compareAndSet(false, true)) {
                ended.run();
            }
        };
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                end.run();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                end.run();
            }

            @Override
            public void onError(AsyncEvent event) {
                end.run();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // The listener stays for the one async cycle this stream has.
            }
        });
    }

    static HeaderAccessor headers(HttpServletRequest request) {
        return new HeaderAccessor() {
            @Override
            public List<String> getHeader(String name) {
                List<String> values = Collections.list(request.getHeaders(name));
                return values.isEmpty() ? null : values;
            }

            @Override
            public List<String> getHeaderNames() {
                return Collections.list(request.getHeaderNames());
            }
        };
    }

    /** The innermost message of a failure, for an error body that says what went wrong. */
    static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
