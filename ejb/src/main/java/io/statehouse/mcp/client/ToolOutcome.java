package io.statehouse.mcp.client;

/**
 * The result of a tool call that reached the server and came back.
 *
 * @param error      the tool said {@code isError: true}
 * @param text       the text content, joined with blank lines
 * @param structured the structured content as JSON text, or null
 * @param json       the whole {@code CallToolResult} as JSON text
 */
public record ToolOutcome(boolean error, String text, String structured, String json) {

    /** The value a run gets back: the structured content when there is some, else the text. */
    public String value() {
        return structured != null ? structured : text;
    }
}
