package io.statehouse.mcp.server.protocol;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.catalog.Catalog;
import io.statehouse.catalog.CatalogPrompt;
import io.statehouse.catalog.CatalogResource;
import io.statehouse.catalog.Contents;
import io.statehouse.catalog.PromptMessage;
import io.statehouse.catalog.ResourceTemplate;
import reactor.core.publisher.Mono;

/**
 * The MCP catalog on the SDK's server: resources, resource templates and prompts added and removed as
 * the catalog changes ({@code list_changed} to every session), and {@code notifications/resources/updated}
 * to the sessions subscribed to a resource whose contents a newer deployment changed. Requests are
 * answered from the catalog in force at the time, so new contents need no new registration.
 */
public final class CatalogFeatures {

    private static final Duration REGISTRATION = Duration.ofSeconds(5);

    private final McpAsyncServer server;
    private volatile Catalog current = Catalog.EMPTY;
    // Touched only by apply(), which the one refresh task calls.
    private final Map<String, McpSchema.Resource> resources = new HashMap<>();
    private final Map<String, McpSchema.ResourceTemplate> templates = new HashMap<>();
    private final Map<String, McpSchema.Prompt> prompts = new HashMap<>();

    CatalogFeatures(McpAsyncServer server) {
        this.server = server;
    }

    /** The catalog in force. */
    Catalog current() {
        return current;
    }

    /** Brings the server's resources, templates and prompts in step with the catalog. */
    void apply(Catalog catalog) {
        Catalog before = current;
        current = catalog;
        sync(resources, keyed(catalog.resources(), CatalogResource::uri, CatalogFeatures::resource),
                r -> server.addResource(new McpServerFeatures.AsyncResourceSpecification(r, (exchange, request) -> read(request.uri()))),
                server::removeResource);
        boolean templateRemoved = sync(templates, keyed(catalog.templates(), ResourceTemplate::uriTemplate, CatalogFeatures::template),
                t -> server.addResourceTemplate(new McpServerFeatures.AsyncResourceTemplateSpecification(t, (exchange, request) -> read(request.uri()))),
                server::removeResourceTemplate);
        if (templateRemoved) {
            // The SDK tells nobody when a template goes.
            server.notifyResourcesListChanged().onErrorResume(e -> Mono.empty()).subscribe();
        }
        sync(prompts, keyed(catalog.prompts(), CatalogPrompt::name, CatalogFeatures::prompt),
                p -> server.addPrompt(new McpServerFeatures.AsyncPromptSpecification(p, (exchange, request) -> get(request))),
                server::removePrompt);
        for (CatalogResource resource : catalog.resources()) {
            before.resource(resource.uri()).filter(old -> !old.contents().equals(resource.contents())).ifPresent(old ->
                    server.notifyResourcesUpdated(new McpSchema.ResourcesUpdatedNotification(resource.uri()))
                            .onErrorResume(e -> Mono.empty()).subscribe());
        }
    }

    /** @return whether something was removed */
    private static <S> boolean sync(Map<String, S> registered, Map<String, S> wanted, Function<S, Mono<Void>> add,
            Function<String, Mono<Void>> remove) {
        boolean removed = false;
        for (String key : List.copyOf(registered.keySet())) {
            if (!registered.get(key).equals(wanted.get(key))) {
                // Removed first: adding over an entry makes the SDK log a warning.
                remove.apply(key).block(REGISTRATION);
                registered.remove(key);
                removed = true;
            }
        }
        for (Map.Entry<String, S> entry : wanted.entrySet()) {
            if (!registered.containsKey(entry.getKey())) {
                add.apply(entry.getValue()).block(REGISTRATION);
                registered.put(entry.getKey(), entry.getValue());
            }
        }
        return removed;
    }

    private static <T, S> Map<String, S> keyed(List<T> entries, Function<T, String> key, Function<T, S> described) {
        Map<String, S> keyed = new LinkedHashMap<>();
        entries.forEach(entry -> keyed.put(key.apply(entry), described.apply(entry)));
        return keyed;
    }

    private Mono<McpSchema.ReadResourceResult> read(String uri) {
        return Mono.fromSupplier(() -> current.read(uri)
                .map(contents -> new McpSchema.ReadResourceResult(List.of(contents(uri, contents))))
                .orElseThrow(() -> McpError.RESOURCE_NOT_FOUND.apply(uri)));
    }

    private Mono<McpSchema.GetPromptResult> get(McpSchema.GetPromptRequest request) {
        return Mono.fromSupplier(() -> {
            Catalog catalog = current;
            CatalogPrompt prompt = catalog.prompt(request.name()).orElseThrow(() -> invalidParams("Unknown prompt '" + request.name() + "'"));
            try {
                return new McpSchema.GetPromptResult(prompt.description(),
                        prompt.render(request.arguments(), catalog).stream().map(CatalogFeatures::message).toList());
            } catch (IllegalArgumentException e) {
                throw invalidParams(e.getMessage());
            }
        });
    }

    static McpError invalidParams(String message) {
        return McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message(message).build();
    }

    public static McpSchema.Resource resource(CatalogResource resource) {
        return McpSchema.Resource.builder(resource.uri(), resource.name()).title(resource.title()).description(resource.description())
                .mimeType(resource.contents().mimeType()).build();
    }

    public static McpSchema.ResourceTemplate template(ResourceTemplate template) {
        return McpSchema.ResourceTemplate.builder(template.uriTemplate(), template.name()).title(template.title())
                .description(template.description()).mimeType(template.contents().mimeType()).build();
    }

    public static McpSchema.Prompt prompt(CatalogPrompt prompt) {
        return McpSchema.Prompt.builder(prompt.name()).title(prompt.title()).description(prompt.description())
                .arguments(prompt.arguments().stream()
                        .map(a -> new McpSchema.PromptArgument(a.name(), null, a.description(), a.required())).toList())
                .build();
    }

    public static McpSchema.ResourceContents contents(String uri, Contents contents) {
        return contents.text() != null
                ? McpSchema.TextResourceContents.builder(uri, contents.text()).mimeType(contents.mimeType()).build()
                : McpSchema.BlobResourceContents.builder(uri, contents.blob()).mimeType(contents.mimeType()).build();
    }

    public static McpSchema.PromptMessage message(PromptMessage message) {
        McpSchema.Content content;
        if (message.part() instanceof PromptMessage.Text text) {
            content = McpSchema.TextContent.builder(text.text()).build();
        } else if (message.part() instanceof PromptMessage.Image image) {
            content = McpSchema.ImageContent.builder(image.data(), image.mimeType()).build();
        } else {
            PromptMessage.EmbeddedResource resource = (PromptMessage.EmbeddedResource) message.part();
            content = McpSchema.EmbeddedResource.builder(contents(resource.uri(), resource.contents())).build();
        }
        return new McpSchema.PromptMessage(message.assistant() ? McpSchema.Role.ASSISTANT : McpSchema.Role.USER, content);
    }
}
