package io.statehouse.mcp.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.catalog.Catalog;
import io.statehouse.catalog.CatalogPrompt;
import io.statehouse.catalog.Contents;
import io.statehouse.catalog.PromptMessage;
import io.statehouse.catalog.ResourceTemplate;

class CatalogCompletionsTest {

    private final Catalog catalog = new Catalog(List.of(),
            List.of(new ResourceTemplate("test://template/{id}/data", "template", null, null, Contents.text("text/plain", "{id}"),
                    Map.of("id", List.of("123", "456")))),
            List.of(new CatalogPrompt("review", null, "Review", List.of(new CatalogPrompt.Argument("city", null, true, List.of("paris", "park", "lyon"))),
                    List.of(new PromptMessage(false, new PromptMessage.Text("{city}"))))));
    private final CatalogCompletions completions = new CatalogCompletions(McpJsonDefaults.getMapper(), () -> catalog);

    @Test
    void aPromptArgumentCompletesWithItsDeclaredValues() {
        assertThat(complete(Map.of("type", "ref/prompt", "name", "review"), "city", "pa"))
                .isEqualTo(new McpSchema.CompleteResult.CompleteCompletion(List.of("paris", "park"), 2, false));
    }

    @Test
    void aTemplateVariableCompletesWithTheTemplatesCompletions() {
        assertThat(complete(Map.of("type", "ref/resource", "uri", "test://template/{id}/data"), "id", "4"))
                .isEqualTo(new McpSchema.CompleteResult.CompleteCompletion(List.of("456"), 1, false));
    }

    @Test
    void anUnknownPromptTemplateOrArgumentIsInvalidParams() {
        assertInvalid(Map.of("type", "ref/prompt", "name", "nope"), "city", "Unknown prompt 'nope'");
        assertInvalid(Map.of("type", "ref/prompt", "name", "review"), "town", "Prompt 'review' has no argument 'town'");
        assertInvalid(Map.of("type", "ref/resource", "uri", "test://other/{x}"), "x", "Unknown resource template 'test://other/{x}'");
    }

    private McpSchema.CompleteResult.CompleteCompletion complete(Map<String, Object> ref, String argument, String value) {
        Object result = completions.answer(Map.of("ref", ref, "argument", Map.of("name", argument, "value", value))).block();
        return ((McpSchema.CompleteResult) result).completion();
    }

    private void assertInvalid(Map<String, Object> ref, String argument, String message) {
        assertThatThrownBy(() -> complete(ref, argument, "p")).isInstanceOfSatisfying(McpError.class, e -> {
            assertThat(e.getJsonRpcError().code()).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
            assertThat(e.getJsonRpcError().message()).isEqualTo(message);
        });
    }
}
