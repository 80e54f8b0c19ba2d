package io.statehouse.sampling;

import java.util.List;
import java.util.Objects;

/**
 * A {@code sampling/createMessage} request, in Statehouse's own types.
 *
 * @param systemPrompt     the server's system prompt, or null
 * @param messages         the conversation, oldest first
 * @param maxTokens        the most tokens the reply may have
 * @param temperature      or null
 * @param stopSequences    or empty
 * @param includeContext   {@code none}, {@code thisServer}, {@code allServers} or null
 * @param modelPreferences the server's preferences, or null
 */
public record SamplingRequest(String systemPrompt, List<Message> messages, int maxTokens, Double temperature,
        List<String> stopSequences, String includeContext, ModelPreferences modelPreferences) {

    public SamplingRequest {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
    }

    /** One message: its role and its content blocks. */
    public record Message(Role role, List<Content> content) {
        public Message {
            Objects.requireNonNull(role, "role");
            content = List.copyOf(content);
        }
    }

    public enum Role {
        USER, ASSISTANT
    }

    /** A content block of a message. */
    public sealed interface Content {
    }

    public record Text(String text) implements Content {
    }

    /** An image, base64-encoded. */
    public record Image(String data, String mimeType) implements Content {
    }

    /** Audio, base64-encoded. */
    public record Audio(String data, String mimeType) implements Content {
    }

    /**
     * The server's model preferences: name hints in order, and priorities from 0 to 1 (or null).
     */
    public record ModelPreferences(List<String> hints, Double costPriority, Double speedPriority, Double intelligencePriority) {
        public ModelPreferences {
            hints = hints == null ? List.of() : List.copyOf(hints);
        }
    }
}
