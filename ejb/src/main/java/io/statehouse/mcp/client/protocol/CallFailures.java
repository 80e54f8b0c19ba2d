package io.statehouse.mcp.client.protocol;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpTransportSessionClosedException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import io.statehouse.mcp.client.ToolCall;
import io.statehouse.mcp.client.ToolCallFailedException;
import io.statehouse.mcp.client.protocol.rounds.InvalidToolDefinitionException;

/**
 * Why a tool call failed, in the kinds the engine side acts on (a timeout, a refusal, a server that
 * cannot be reached, a session lost while the call ran), with a message that names the server, its
 * URL and the tool. The same for both eras.
 */
final class CallFailures {

    private CallFailures() {
    }

    /** @param sessionOpen whether the session (or, in rounds, the first request) had been answered */
    static ToolCallFailedException failure(ToolCall call, boolean sessionOpen, Throwable failure) {
        // A stage that fails inside another stage's function wraps its failure; the kind is the inner one's.
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof ToolCallFailedException failed) {
            return failed;
        }
        String where = "MCP server '" + call.server().name() + "' (" + call.server().url() + "), tool '" + call.tool() + "'";
        String messages = firstLine(McpError.aggregateExceptionMessages(e));
        if (inChain(e, TimeoutException.class) != null) {
            return new ToolCallFailedException(ToolCallFailedException.Kind.TIMEOUT,
                    where + ": no answer within " + (sessionOpen ? call.timeout() + " (the element's timeout)" : "the time allowed to open a session"), e);
        }
        InvalidToolDefinitionException invalid = inChain(e, InvalidToolDefinitionException.class);
        if (invalid != null) {
            return new ToolCallFailedException(ToolCallFailedException.Kind.REFUSED, where + ": " + invalid.getMessage(), e);
        }
        McpError error = inChain(e, McpError.class);
        if (error != null && error.getJsonRpcError() != null) {
            return new ToolCallFailedException(ToolCallFailedException.Kind.REFUSED,
                    where + ": the server answered with error " + error.getJsonRpcError().code() + ": " + error.getJsonRpcError().message(), e);
        }
        if (!sessionOpen) {
            Throwable connect = inChain(e, ConnectException.class);
            if (connect == null) {
                connect = inChain(e, HttpConnectTimeoutException.class);
            }
            return new ToolCallFailedException(ToolCallFailedException.Kind.UNREACHABLE, where + ": "
                    + (connect != null ? "cannot connect (" + connect.getClass().getSimpleName() + ")" : "cannot open an MCP session: " + messages), e);
        }
        if (inChain(e, McpTransportSessionNotFoundException.class) != null || inChain(e, McpTransportSessionClosedException.class) != null
                || inChain(e, IOException.class) != null) {
            return new ToolCallFailedException(ToolCallFailedException.Kind.SESSION_LOST,
                    where + ": the MCP session ended while the call ran (" + messages + ")", e);
        }
        return new ToolCallFailedException(ToolCallFailedException.Kind.REFUSED, where + ": " + messages, e);
    }

    static <T extends Throwable> T inChain(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
