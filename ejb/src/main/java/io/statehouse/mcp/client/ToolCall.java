package io.statehouse.mcp.client;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One call of a tool, as a run asks for it.
 *
 * @param server        where to call it
 * @param tool          the tool's name
 * @param arguments     the tool's arguments (JSON values: maps, lists, strings, numbers, booleans, null)
 * @param timeout       how long the whole call may take, questions to people included
 * @param progressToken the token that this call's {@code notifications/progress} carry
 */
public record ToolCall(RemoteServer server, String tool, Map<String, Object> arguments, Duration timeout, String progressToken) {

    public ToolCall {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(progressToken, "progressToken");
        if (tool.isBlank()) {
            throw new IllegalArgumentException("The tool's name is empty");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("The timeout must be positive, not " + timeout);
        }
        arguments = arguments == null ? Map.of() : arguments;
    }
}
