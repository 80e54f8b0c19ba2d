package io.statehouse.mcp.client.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.sampling.SamplingException;
import io.statehouse.sampling.SamplingRequest;

/**
 * A {@code sampling/createMessage} request, as a run keeps it (JSON text), read into the sampling
 * providers' own types: system prompt, messages with text, image and audio content, the limits and
 * the model preferences.
 */
public final class SamplingRequests {

    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    private SamplingRequests() {
    }

    /** @throws SamplingException UNSUPPORTED for content a model cannot be given (tool use, resources) */
    public static SamplingRequest fromJson(String createMessageRequest) {
        McpSchema.CreateMessageRequest request;
        try {
            request = JSON.readValue(createMessageRequest, McpSchema.CreateMessageRequest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("The sampling request is not readable: " + e.getMessage(), e);
        }
        List<SamplingRequest.Message> messages = new ArrayList<>();
        for (McpSchema.SamplingMessage message : request.messages()) {
            messages.add(new SamplingRequest.Message(
                    message.role() == McpSchema.Role.ASSISTANT ? SamplingRequest.Role.ASSISTANT : SamplingRequest.Role.USER,
                    List.of(content(message.content()))));
        }
        McpSchema.ModelPreferences preferences = request.modelPreferences();
        SamplingRequest.ModelPreferences ours = preferences == null ? null : new SamplingRequest.ModelPreferences(
                preferences.hints() == null ? List.of() : preferences.hints().stream().map(McpSchema.ModelHint::name).toList(),
                preferences.costPriority(), preferences.speedPriority(), preferences.intelligencePriority());
        return new SamplingRequest(request.systemPrompt(), messages, request.maxTokens() == null ? 1000 : request.maxTokens(),
                request.temperature(), request.stopSequences(),
                request.includeContext() == null ? null : request.includeContext().name(), ours);
    }

    private static SamplingRequest.Content content(McpSchema.Content content) {
        if (content instanceof McpSchema.TextContent text) {
            return new SamplingRequest.Text(text.text());
        } else if (content instanceof McpSchema.ImageContent image) {
            return new SamplingRequest.Image(image.data(), image.mimeType());
        } else if (content instanceof McpSchema.AudioContent audio) {
            return new SamplingRequest.Audio(audio.data(), audio.mimeType());
        }
        throw new SamplingException(SamplingException.Kind.UNSUPPORTED,
                "A sampling message with " + content.type() + " content cannot be given to a model provider", null);
    }
}
