package io.statehouse.mcp.server;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A deployed process that a modeler marked as a tool: what {@code tools/list} shows of it.
 *
 * @param name                the tool's name (the process key, or the model's {@code statehouse.tool.name})
 * @param title               the process's name
 * @param description         the process's documentation
 * @param inputSchema         a JSON schema of the arguments, from the start form's fields
 * @param outputVariables     the variables that make the result; empty: all of the run's variables
 * @param processDefinitionId the definition a call starts
 * @param requires            the client capabilities a caller must have declared ({@code sampling}, {@code elicitation},
 *                            {@code tasks}): the process needs the caller's model or answers, or is long, and has no other way
 * @param taskAtOnce          for a caller that declared the tasks extension: answer with a task at once, not after rounds
 */
public record ToolDefinition(String name, String title, String description, Map<String, Object> inputSchema,
        List<String> outputVariables, String processDefinitionId, List<String> requires, boolean taskAtOnce) {

    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputSchema, "inputSchema");
        outputVariables = List.copyOf(outputVariables);
        Objects.requireNonNull(processDefinitionId, "processDefinitionId");
        requires = requires == null ? List.of() : List.copyOf(requires);
    }

    /** The capabilities the tool requires that a caller did not declare, by name. */
    public List<String> undeclared(Predicate<String> declared) {
        return requires.stream().filter(declared.negate()).toList();
    }
}
