package io.statehouse.mcp.server.protocol.rounds;

/**
 * An entry of a retry's {@code inputResponses} that does not answer its question: not an elicitation
 * result, or content that does not fit the requested schema. Nothing was taken; the same
 * {@code requestState} may be retried with a corrected answer.
 */
public class InvalidInputResponseException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidInputResponseException(String message) {
        super(message);
    }
}
