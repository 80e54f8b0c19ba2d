package io.statehouse.sampling;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.output.FinishReason;

/**
 * A provider on Anthropic's Messages API. Takes images; audio is rejected as unsupported. Its stop
 * reasons are reported exactly ({@code stop_sequence} becomes {@code stopSequence}).
 */
public class AnthropicProvider extends LangChain4jSamplingProvider {

    public AnthropicProvider(ProviderSettings settings) {
        super(settings);
    }

    @Override
    protected ChatModel buildChatModel(RecordingHttpClientBuilder http) {
        AnthropicChatModel.AnthropicChatModelBuilder builder = AnthropicChatModel.builder()
                .httpClientBuilder(http)
                .apiKey(settings.requireApiKey())
                .modelName(settings.models().get(0).model())
                .timeout(settings.timeout())
                .maxRetries(0);
        if (settings.baseUrl() != null) {
            builder.baseUrl(settings.baseUrl());
        }
        return builder.build();
    }

    @Override
    protected String apiName() {
        return "Anthropic";
    }

    @Override
    protected boolean acceptsImages() {
        return true;
    }

    @Override
    protected boolean acceptsAudio() {
        return false;
    }

    @Override
    protected String stopReason(FinishReason finishReason, Optional<JsonNode> raw) {
        Optional<String> reason = text(raw, "stop_reason");
        if (reason.isEmpty()) {
            return commonStopReason(finishReason);
        }
        return switch (reason.get()) {
            case "end_turn" -> "endTurn";
            case "stop_sequence" -> "stopSequence";
            case "max_tokens" -> "maxTokens";
            default -> reason.get();
        };
    }
}
