package io.statehouse.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CatalogDescriptorTest {

    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    private static final String DESCRIPTOR = """
            {
              "resources": [
                {"uri": "test://static-text", "name": "static-text", "title": "Static", "description": "Inline", "text": "Hello"},
                {"uri": "test://static-binary", "name": "static-binary", "mimeType": "image/png", "file": "test.png"},
                {"uri": "test://policy", "name": "policy", "mimeType": "text/markdown", "file": "policy.md"}
              ],
              "resourceTemplates": [
                {"uriTemplate": "test://template/{id}/data", "name": "template", "mimeType": "application/json",
                 "text": "{\\"id\\":\\"{id}\\",\\"data\\":\\"Data for ID: {id}\\"}", "completions": {"id": ["123", "456"]}}
              ],
              "prompts": [
                {"name": "with_arguments", "description": "Two arguments",
                 "arguments": [{"name": "arg1", "required": true, "values": ["paris", "park"]}, {"name": "arg2"}],
                 "messages": [{"role": "user", "text": "arg1='{arg1}', arg2='{arg2}'"}]},
                {"name": "with_embedded_resource", "description": "Embeds",
                 "arguments": [{"name": "resourceUri", "required": true}],
                 "messages": [{"resource": {"uri": "{resourceUri}", "mimeType": "text/plain", "text": "Embedded."}},
                              {"role": "assistant", "resource": {"uri": "test://static-text"}}]},
                {"name": "with_image", "description": "An image", "messages": [{"image": {"file": "test.png"}}]}
              ]
            }
            """;

    private static final Map<String, byte[]> FILES = Map.of(
            "conformance/test.png", PNG,
            "conformance/policy.md", "# Policy\\nUp to 50 EUR".getBytes(StandardCharsets.UTF_8));

    private final CatalogDescriptor descriptor = CatalogDescriptor.read("conformance/catalog.mcp.json",
            DESCRIPTOR.getBytes(StandardCharsets.UTF_8), name -> Optional.ofNullable(FILES.get(name)));
    private final Catalog catalog = descriptor.catalog();

    @Test
    void aDescriptorIsAResourceNamedDotMcpDotJson() {
        assertThat(CatalogDescriptor.isDescriptor("io/statehouse/demo/expenses.mcp.json")).isTrue();
        assertThat(CatalogDescriptor.isDescriptor("expenses.json")).isFalse();
    }

    @Test
    void inlineTextIsPlainTextUnlessTheDescriptorSaysOtherwise() {
        assertThat(descriptor.problems()).isEmpty();
        assertThat(catalog.resource("test://static-text")).get().satisfies(r -> {
            assertThat(r.title()).isEqualTo("Static");
            assertThat(r.contents()).isEqualTo(Contents.text("text/plain", "Hello"));
        });
    }

    @Test
    void aFileOfTheDeploymentIsBase64ForBinaryTypesAndTextForTextTypesFoundNextToTheDescriptor() {
        assertThat(catalog.resource("test://static-binary").orElseThrow().contents())
                .isEqualTo(Contents.blob("image/png", Base64.getEncoder().encodeToString(PNG)));
        assertThat(catalog.resource("test://policy").orElseThrow().contents().text()).startsWith("# Policy");
    }

    @Test
    void aTemplateSubstitutesItsVariablesFromTheUriAndLeavesJsonBracesAlone() {
        ResourceTemplate template = catalog.template("test://template/{id}/data").orElseThrow();

        assertThat(template.variables()).containsExactly("id");
        assertThat(template.read("test://template/123/data")).get()
                .isEqualTo(Contents.text("application/json", "{\"id\":\"123\",\"data\":\"Data for ID: 123\"}"));
        assertThat(template.read("test://template/1/2/data")).isEmpty();
        assertThat(catalog.read("test://template/456/data")).get().extracting(Contents::text).asString().contains("456");
    }

    @Test
    void promptArgumentsAreSubstitutedAndAMissingOptionalOneIsEmpty() {
        CatalogPrompt prompt = catalog.prompt("with_arguments").orElseThrow();

        assertThat(prompt.render(Map.of("arg1", "testValue1"), catalog))
                .containsExactly(new PromptMessage(false, new PromptMessage.Text("arg1='testValue1', arg2=''")));
        assertThat(prompt.argument("arg1").orElseThrow().values()).containsExactly("paris", "park");
    }

    @Test
    void aMissingRequiredArgumentIsRefusedByName() {
        CatalogPrompt prompt = catalog.prompt("with_arguments").orElseThrow();

        assertThatThrownBy(() -> prompt.render(null, catalog)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Prompt 'with_arguments' needs the argument 'arg1'");
    }

    @Test
    void anEmbeddedResourceWithoutContentsOfItsOwnEmbedsTheCatalogResource() {
        List<PromptMessage> messages = catalog.prompt("with_embedded_resource").orElseThrow()
                .render(Map.of("resourceUri", "test://example-resource"), catalog);

        assertThat(messages).containsExactly(
                new PromptMessage(false, new PromptMessage.EmbeddedResource("test://example-resource", Contents.text("text/plain", "Embedded."))),
                new PromptMessage(true, new PromptMessage.EmbeddedResource("test://static-text", Contents.text("text/plain", "Hello"))));
    }

    @Test
    void anImageTakesItsTypeFromTheFileName() {
        assertThat(catalog.prompt("with_image").orElseThrow().render(Map.of(), catalog))
                .containsExactly(new PromptMessage(false, new PromptMessage.Image("image/png", Base64.getEncoder().encodeToString(PNG))));
    }

    @Test
    void badEntriesAreRefusedWithWhatIsWrongAndTheOthersStay() {
        CatalogDescriptor bad = CatalogDescriptor.read("bad.mcp.json", """
                {"resources": [{"name": "no-uri", "text": "x"}, {"uri": "test://missing-file", "name": "m", "file": "nope.png"},
                               {"uri": "test://fine", "name": "fine", "text": "fine"}],
                 "resourceTemplates": [{"uriTemplate": "test://t/{id}", "name": "t", "text": "{id}", "completions": {"other": ["1"]}}],
                 "prompts": [{"name": "undescribed", "messages": [{"text": "hi"}]}, {"name": "silent", "description": "d", "messages": []}]}
                """.getBytes(StandardCharsets.UTF_8), name -> Optional.empty());

        assertThat(bad.catalog().resources()).extracting(CatalogResource::uri).containsExactly("test://fine");
        assertThat(bad.catalog().templates()).isEmpty();
        assertThat(bad.catalog().prompts()).isEmpty();
        assertThat(bad.problems()).containsExactly(
                "resources[0] is refused: uri is missing",
                "resources[1] (test://missing-file) is refused: the file nope.png is not in the deployment",
                "resourceTemplates[0] (test://t/{id}) is refused: completions name [other], which are not variables of test://t/{id}",
                "prompts[0] (undescribed) is refused: a prompt needs a description (clients show it to choose a prompt)",
                "prompts[1] (silent) is refused: a prompt needs at least one message");
    }

    @Test
    void aDescriptorThatIsNotJsonIsRefusedAsAWhole() {
        CatalogDescriptor broken = CatalogDescriptor.read("broken.mcp.json", "{\"resources\": [".getBytes(StandardCharsets.UTF_8),
                name -> Optional.empty());

        assertThat(broken.catalog()).isEqualTo(Catalog.EMPTY);
        assertThat(broken.problems()).singleElement().asString().startsWith("the descriptor is refused: it is not valid JSON");
    }

    @Test
    void whereTwoCatalogsDeclareTheSameEntryTheFirstWins() {
        Catalog newer = new Catalog(List.of(new CatalogResource("test://a", "a", null, null, Contents.text("text/plain", "new"))), List.of(), List.of());
        Catalog older = new Catalog(List.of(new CatalogResource("test://a", "a", null, null, Contents.text("text/plain", "old")),
                new CatalogResource("test://b", "b", null, null, Contents.text("text/plain", "b"))), List.of(), List.of());

        Catalog merged = Catalog.firstWins(List.of(newer, older));

        assertThat(merged.resources()).extracting(r -> r.contents().text()).containsExactly("new", "b");
    }
}
