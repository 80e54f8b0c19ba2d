package io.statehouse.mcp.server.protocol;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.mcp.server.ToolDefinition;
import io.statehouse.mcp.server.ToolRunResult;

/** A process-backed tool and its run's end in MCP's terms, the same in both protocol eras. */
public final class ToolResults {

    private ToolResults() {
    }

    public static McpSchema.Tool tool(ToolDefinition tool) {
        return McpSchema.Tool.builder()
                .name(tool.name())
                .title(tool.title())
                .description(tool.description())
                .inputSchema(tool.inputSchema())
                .build();
    }

    /**
     * The run's output variables as {@code structuredContent} and as text; a run that sets
     * its content (a JSON array of MCP content blocks: text, image, audio, resource) answers with that
     * content instead of the text.
     */
    public static McpSchema.CallToolResult result(McpJsonMapper json, ToolRunResult run) {
        Map<String, Object> structured = new HashMap<>(run.variables());
        Object content = run.content();
        McpSchema.CallToolResult.Builder result = McpSchema.CallToolResult.builder().structuredContent(structured).isError(run.error());
        try {
            if (content != null) {
                if (run.error()) {
                    result.addTextContent(run.message());
                }
                for (McpSchema.Content block : json.readValue(content.toString(), new TypeRef<List<McpSchema.Content>>() { })) {
                    result.addContent(block);
                }
            } else {
                result.addTextContent(run.message() + "\n" + json.writeValueAsString(structured));
            }
        } catch (IOException | RuntimeException e) {
            return error("Run " + run.runId() + " ended, but its content is not a JSON array of MCP content blocks: "
                    + e.getMessage());
        }
        return result.build();
    }

    public static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
