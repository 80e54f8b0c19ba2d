package io.statehouse.mcp.client;

/** Something the server asks the client while a tool call runs, in Statehouse's own types. */
public sealed interface Question {

    /** The server's message to the person who answers. */
    String message();

    /**
     * Form-mode elicitation.
     *
     * @param requestedSchema the {@code requestedSchema} as JSON text
     */
    record Form(String message, String requestedSchema) implements Question {
    }

    /** URL-mode elicitation: the person is to visit {@code url}; the server names it {@code elicitationId}. */
    record Url(String message, String url, String elicitationId) implements Question {
    }

    /**
     * Sampling: {@code request} is the whole {@code sampling/createMessage} params as JSON text;
     * {@code message} is a short summary for task lists.
     */
    record Sampling(String message, String request) implements Question {
    }
}
