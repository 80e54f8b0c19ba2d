package io.statehouse.mcp.server;

/**
 * A tool call's key (its idempotency key, or its session's request id) is an earlier call's, but the
 * tool or the arguments differ: nothing is started, and the caller is told that the key is taken.
 */
public class CallKeyConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CallKeyConflictException(String message) {
        super(message);
    }
}
