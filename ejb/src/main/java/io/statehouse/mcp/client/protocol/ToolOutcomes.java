package io.statehouse.mcp.client.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.mcp.client.ToolOutcome;

/**
 * The SDK's schema types in our own terms, the same for both eras: a tool's result as a
 * {@link ToolOutcome}, a sampling request's summary for the person who answers it, JSON text.
 */
final class ToolOutcomes {

    static final TypeRef<Map<String, Object>> JSON_OBJECT = new TypeRef<>() {
    };

    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    private ToolOutcomes() {
    }

    static ToolOutcome outcome(McpSchema.CallToolResult result) {
        List<String> texts = new ArrayList<>();
        if (result.content() != null) {
            for (McpSchema.Content content : result.content()) {
                if (content instanceof McpSchema.TextContent text) {
                    texts.add(text.text());
                }
            }
        }
        String structured = result.structuredContent() == null ? null : write(result.structuredContent());
        return new ToolOutcome(Boolean.TRUE.equals(result.isError()), String.join("\n\n", texts), structured, write(result));
    }

    static String summary(McpSchema.CreateMessageRequest request) {
        List<McpSchema.SamplingMessage> messages = request.messages();
        if (messages != null && !messages.isEmpty()
                && messages.get(messages.size() - 1).content() instanceof McpSchema.TextContent text) {
            String t = text.text();
            return t.length() > 200 ? t.substring(0, 200) + "…" : t;
        }
        return "A model's reply is requested";
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A result object without the 2026-07-28 envelope ({@code resultType}, {@code _meta}), as the stateful era has it. */
    static McpSchema.CallToolResult result(Map<String, Object> result) {
        Map<String, Object> plain = new LinkedHashMap<>(result);
        plain.remove("resultType");
        plain.remove("_meta");
        return JSON.convertValue(plain, McpSchema.CallToolResult.class);
    }

    static Map<String, Object> object(Object value) {
        return JSON.convertValue(value, JSON_OBJECT);
    }
}
