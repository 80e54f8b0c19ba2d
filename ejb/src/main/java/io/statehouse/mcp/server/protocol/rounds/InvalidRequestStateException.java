package io.statehouse.mcp.server.protocol.rounds;

/**
 * A {@code requestState} that Statehouse does not take: altered, expired, already used, minted for
 * another caller or another request, or not one of ours. The message says which, for the person
 * reading the client's error; nothing of the run is lost.
 */
public class InvalidRequestStateException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the state was refused, as the error's {@code data.reason}. */
    public enum Reason {
        MALFORMED, TAMPERED, EXPIRED, OTHER_PRINCIPAL, OTHER_REQUEST, ALREADY_USED
    }

    private final Reason reason;

    public InvalidRequestStateException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
