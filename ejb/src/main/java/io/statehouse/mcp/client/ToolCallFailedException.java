package io.statehouse.mcp.client;

/**
 * A tool call that did not come back with a result: the server could not be reached, refused the
 * request, timed out, or the session ended while the call ran.
 */
public class ToolCallFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the call failed; a lost session is something a BPMN model may handle, the others are incidents. */
    public enum Kind {
        UNREACHABLE, REFUSED, TIMEOUT, SESSION_LOST
    }

    private final Kind kind;

    public ToolCallFailedException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
