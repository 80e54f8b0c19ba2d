package io.statehouse.it;

import java.net.http.HttpResponse;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * MCP 2026-07-28 over plain HTTP, as the ITs send it where a client library would not do: a request
 * with the {@code _meta} envelope and the headers the specification asks for ({@code MCP-Protocol-Version},
 * {@code Mcp-Method}, {@code Mcp-Name}), and its JSON-RPC response, read from a JSON body or from the last event of a
 * stream. Part of the ITs' shared harness, beside {@link Http}; stateless, so any node of a cluster
 * may answer any request.
 */
final class StatelessMcp {

    static final String VERSION = "2026-07-28";

    private StatelessMcp() {
    }

    /** Posts one request as {@code http}'s user to the MCP endpoint at {@code url}. */
    static HttpResponse<String> post(Http http, String url, String method, String params, String capabilities) {
        return http.postJson(url, body(method, params, capabilities), headers(method, params));
    }

    /**
     * A request body: {@code params} (a JSON object) with the envelope, a fresh id and the client's
     * capabilities; a {@code _meta} of {@code params} keeps its own entries beside the envelope's.
     */
    static String body(String method, String params, String capabilities) {
        JsonObject given = Http.object(params);
        JsonObjectBuilder meta = Json.createObjectBuilder(given.containsKey("_meta") ? given.getJsonObject("_meta") : JsonValue.EMPTY_JSON_OBJECT)
                .add("io.modelcontextprotocol/protocolVersion", VERSION)
                .add("io.modelcontextprotocol/clientInfo", Json.createObjectBuilder().add("name", "raw").add("version", "1"))
                .add("io.modelcontextprotocol/clientCapabilities", Http.object(capabilities));
        JsonObject withMeta = Json.createObjectBuilder(given).add("_meta", meta).build();
        return Json.createObjectBuilder().add("jsonrpc", "2.0").add("id", UUID.randomUUID().toString()).add("method", method)
                .add("params", withMeta).build().toString();
    }

    /** The headers of a request for {@code method} that names nothing, as name-value pairs for {@link Http}. */
    static String[] headers(String method) {
        return new String[] {"Accept", "application/json, text/event-stream", "MCP-Protocol-Version", VERSION, "Mcp-Method", method};
    }

    /**
     * The headers of a request for {@code method} with those params (a JSON object): with {@code Mcp-Name}
     * where the method names a tool, prompt, resource or task (SEP-2243; ASCII names, as the ITs use).
     */
    static String[] headers(String method, String params) {
        JsonObject parsed = Http.object(params);
        String name = switch (method) {
            case "tools/call", "prompts/get" -> parsed.getString("name", null);
            case "resources/read" -> parsed.getString("uri", null);
            case "tasks/get", "tasks/update", "tasks/cancel" -> parsed.getString("taskId", null);
            default -> null;
        };
        String[] plain = headers(method);
        if (name == null) {
            return plain;
        }
        String[] named = java.util.Arrays.copyOf(plain, plain.length + 2);
        named[plain.length] = "Mcp-Name";
        named[plain.length + 1] = name;
        return named;
    }

    /** The JSON-RPC response of a request: the body, or the last event of its stream. */
    static JsonObject response(HttpResponse<String> response) {
        String body = response.body();
        if (body.startsWith("{")) {
            return Http.object(body);
        }
        return body.lines().filter(l -> l.startsWith("data: ")).map(l -> Http.object(l.substring(6)))
                .filter(m -> m.containsKey("id")).reduce((a, b) -> b).orElseThrow(() -> new AssertionError("No response in " + body));
    }
}
