package io.statehouse.mcp.client.protocol.rounds;

/**
 * A remote tool whose definition breaks SEP-2243's rules for {@code x-mcp-header}: a client must
 * leave it out, so Statehouse does not call it. Not a server that cannot be reached: there is no
 * point in trying again until the server's definition changes.
 */
public final class InvalidToolDefinitionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    InvalidToolDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
