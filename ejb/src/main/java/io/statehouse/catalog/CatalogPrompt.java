package io.statehouse.catalog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A prompt template a client can list and get ({@code prompts/get}), with arguments it fills in.
 *
 * @param description required: clients show it to choose a prompt
 */
public record CatalogPrompt(String name, String title, String description, List<Argument> arguments, List<PromptMessage> messages) {

    public CatalogPrompt {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        arguments = List.copyOf(arguments);
        messages = List.copyOf(messages);
    }

    /**
     * An argument of the prompt.
     *
     * @param values what {@code completion/complete} suggests for it
     */
    public record Argument(String name, String description, boolean required, List<String> values) {
        public Argument {
            Objects.requireNonNull(name, "name");
            values = List.copyOf(values);
        }
    }

    public Optional<Argument> argument(String argumentName) {
        return arguments.stream().filter(a -> a.name().equals(argumentName)).findFirst();
    }

    /**
     * The messages with the given arguments filled in; a missing optional argument is empty.
     *
     * @param given   may be null (no arguments)
     * @param catalog where embedded resources without contents of their own are looked up
     * @throws IllegalArgumentException when a required argument is missing, or an embedded resource is unknown
     */
    public List<PromptMessage> render(Map<String, ?> given, Catalog catalog) {
        Map<String, ?> supplied = given == null ? Map.of() : given;
        Map<String, String> values = new HashMap<>();
        for (Argument argument : arguments) {
            Object value = supplied.get(argument.name());
            if (value == null && argument.required()) {
                throw new IllegalArgumentException("Prompt '" + name + "' needs the argument '" + argument.name() + "'"
                        + (argument.description() == null ? "" : " (" + argument.description() + ")"));
            }
            values.put(argument.name(), value == null ? "" : value.toString());
        }
        return messages.stream().map(m -> m.render(values, catalog)).toList();
    }
}
