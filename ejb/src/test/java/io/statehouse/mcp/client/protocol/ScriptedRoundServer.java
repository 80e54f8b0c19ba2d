package io.statehouse.mcp.client.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;

/**
 * A remote MCP server of the 2026-07-28 era as far as a client's tool call sees it, on 127.0.0.1 at
 * a free port: each request is recorded, and answered by the test's script with the messages it
 * returns, the JSON-RPC response last. One message goes back as JSON, several as an event stream.
 */
final class ScriptedRoundServer implements AutoCloseable {

    private static final TypeRef<Map<String, Object>> JSON_OBJECT = new TypeRef<>() {
    };

    /** A request as the server read it. */
    record Seen(Map<String, Object> body) {

        @SuppressWarnings("unchecked")
        Map<String, Object> params() {
            return (Map<String, Object>) body.get("params");
        }
    }

    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Function<Seen, List<Map<String, Object>>> script;
    private final HttpServer http;

    /** @param script the messages that answer a request: notifications, then a {@link #result} or an {@link #error} */
    ScriptedRoundServer(Function<Seen, List<Map<String, Object>>> script) throws IOException {
        this.script = script;
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/mcp", this::answer);
        http.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/mcp");
    }

    /** The requests so far, in the order they came. */
    List<Seen> seen() {
        return seen;
    }

    /** A complete result of {@code tools/call}. */
    static Map<String, Object> result(Map<String, Object> result) {
        Map<String, Object> complete = new LinkedHashMap<>(result);
        complete.putIfAbsent("resultType", "complete");
        return Map.of("result", complete);
    }

    /** A round of questions, by key. */
    static Map<String, Object> inputRequired(Map<String, Object> inputRequests, String requestState) {
        return Map.of("result", Map.of("resultType", "input_required", "inputRequests", inputRequests, "requestState", requestState));
    }

    static Map<String, Object> error(int code, String message) {
        return Map.of("error", Map.of("code", code, "message", message));
    }

    static Map<String, Object> progress(String token, double progress, double total, String message) {
        return Map.of("method", "notifications/progress", "params", Map.of("progressToken", token, "progress", progress, "total", total,
                "message", message));
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            Seen request = new Seen(json.readValue(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), JSON_OBJECT));
            // The tool list the client reads for SEP-2243's headers: no tool marks any; not one of the script's requests.
            List<Map<String, Object>> messages = "tools/list".equals(request.body().get("method"))
                    ? List.of(addressed(Map.of("result", Map.of("tools", List.of(), "ttlMs", 60_000)), request.body().get("id")))
                    : null;
            if (messages == null) {
                seen.add(request);
                messages = script.apply(request).stream().map(m -> addressed(m, request.body().get("id"))).toList();
            }
            StringBuilder out = new StringBuilder();
            if (messages.size() == 1) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                out.append(write(messages.get(0)));
            } else {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                messages.forEach(m -> out.append("event: message\ndata: ").append(write(m)).append("\n\n"));
            }
            byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** A response carries the request's id; a notification none. */
    private static Map<String, Object> addressed(Map<String, Object> message, Object id) {
        Map<String, Object> addressed = new LinkedHashMap<>();
        addressed.put("jsonrpc", "2.0");
        if (message.containsKey("result") || message.containsKey("error")) {
            addressed.put("id", id);
        }
        addressed.putAll(message);
        return addressed;
    }

    private String write(Map<String, Object> message) {
        try {
            return json.writeValueAsString(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
