package io.statehouse.elicitation;

/** A {@code requestedSchema} that the MCP specification does not allow, with what is wrong and where. */
public class InvalidSchemaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidSchemaException(String message) {
        super(message);
    }
}
