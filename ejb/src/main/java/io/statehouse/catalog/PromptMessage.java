package io.statehouse.catalog;

import java.util.Map;
import java.util.Objects;

/**
 * One message of a prompt: as the descriptor declares it (with {@code {argument}} placeholders), and
 * as {@code prompts/get} returns it (placeholders filled in).
 *
 * @param assistant the model speaks (role {@code assistant}); otherwise the user does
 */
public record PromptMessage(boolean assistant, Part part) {

    public PromptMessage {
        Objects.requireNonNull(part, "part");
    }

    /** What a message holds. */
    public sealed interface Part permits Text, Image, EmbeddedResource {
    }

    public record Text(String text) implements Part {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** @param data base64 */
    public record Image(String mimeType, String data) implements Part {
        public Image {
            Objects.requireNonNull(mimeType, "mimeType");
            Objects.requireNonNull(data, "data");
        }
    }

    /** @param contents null: the catalog resource at {@code uri} is embedded */
    public record EmbeddedResource(String uri, Contents contents) implements Part {
        public EmbeddedResource {
            Objects.requireNonNull(uri, "uri");
        }
    }

    /**
     * The message with the arguments filled in.
     *
     * @param catalog where a resource without contents of its own is looked up
     * @throws IllegalArgumentException when the embedded resource is not in the catalog
     */
    PromptMessage render(Map<String, String> arguments, Catalog catalog) {
        Part filled = part;
        if (part instanceof Text text) {
            filled = new Text(Placeholders.substitute(text.text(), arguments));
        } else if (part instanceof EmbeddedResource resource) {
            String uri = Placeholders.substitute(resource.uri(), arguments);
            Contents contents = resource.contents() != null ? resource.contents().substituted(arguments)
                    : catalog.read(uri).orElseThrow(() -> new IllegalArgumentException(
                            "The prompt embeds the resource " + uri + ", which this server does not have"));
            filled = new EmbeddedResource(uri, contents);
        }
        return new PromptMessage(assistant, filled);
    }
}
