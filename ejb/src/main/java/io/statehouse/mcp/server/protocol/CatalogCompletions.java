package io.statehouse.mcp.server.protocol;

import java.util.List;
import java.util.function.Supplier;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.catalog.Catalog;
import io.statehouse.catalog.CatalogPrompt;
import io.statehouse.catalog.Completion;
import io.statehouse.catalog.ResourceTemplate;
import reactor.core.publisher.Mono;

/**
 * {@code completion/complete} from the catalog: a prompt argument's declared values, or a template
 * variable's declared completions, that start with what the client typed. The SDK takes completion
 * handlers only when the server is built, before any deployment is read, so the transport hands these
 * requests here ({@link StreamableHttpTransport#answerItself}).
 */
public final class CatalogCompletions implements OwnAnswer {

    private final McpJsonMapper json;
    private final Supplier<Catalog> catalog;

    public CatalogCompletions(McpJsonMapper json, Supplier<Catalog> catalog) {
        this.json = json;
        this.catalog = catalog;
    }

    @Override
    public Mono<Object> answer(Object params) {
        return Mono.fromSupplier(() -> {
            McpSchema.CompleteRequest request;
            try {
                request = json.convertValue(params, new TypeRef<McpSchema.CompleteRequest>() { });
            } catch (RuntimeException e) {
                throw CatalogFeatures.invalidParams("Invalid completion/complete parameters: " + e.getMessage());
            }
            if (request == null || request.ref() == null || request.argument() == null || request.argument().name() == null) {
                throw CatalogFeatures.invalidParams("completion/complete needs a ref and an argument with a name");
            }
            Completion completion = Completion.of(candidates(request.ref(), request.argument().name()), request.argument().value());
            return new McpSchema.CompleteResult(new McpSchema.CompleteResult.CompleteCompletion(completion.values(), completion.total(),
                    completion.hasMore()));
        });
    }

    private List<String> candidates(McpSchema.CompleteReference ref, String argument) {
        Catalog current = catalog.get();
        if (ref instanceof McpSchema.PromptReference prompt) {
            CatalogPrompt found = current.prompt(prompt.name())
                    .orElseThrow(() -> CatalogFeatures.invalidParams("Unknown prompt '" + prompt.name() + "'"));
            return found.argument(argument).map(CatalogPrompt.Argument::values)
                    .orElseThrow(() -> CatalogFeatures.invalidParams("Prompt '" + prompt.name() + "' has no argument '" + argument + "'"));
        }
        if (ref instanceof McpSchema.ResourceReference resource) {
            ResourceTemplate found = current.template(resource.uri())
                    .orElseThrow(() -> CatalogFeatures.invalidParams("Unknown resource template '" + resource.uri() + "'"));
            if (!found.variables().contains(argument)) {
                throw CatalogFeatures.invalidParams("Resource template '" + resource.uri() + "' has no variable '" + argument + "'");
            }
            return found.completions().getOrDefault(argument, List.of());
        }
        throw CatalogFeatures.invalidParams("Unknown completion reference type " + ref.type());
    }
}
