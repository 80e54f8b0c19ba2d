package io.statehouse.sampling;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.statehouse.sampling.SamplingException.Kind;

/**
 * The mapping every LangChain4j-backed provider shares: a {@link SamplingRequest} becomes a
 * {@link ChatRequest} (system prompt, messages with text, image and audio, max tokens, temperature,
 * stop sequences), the {@link ChatResponse} becomes a {@link SamplingResult} (text, model, stop
 * reason, usage, latency), and a failure becomes a {@link SamplingException} whose message names the
 * provider and never a secret. Subclasses build the model and read their API's own stop reason.
 */
public abstract class LangChain4jSamplingProvider implements SamplingProvider {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXCERPT = 300;

    protected final ProviderSettings settings;
    private final ChatModel chatModel;

    protected LangChain4jSamplingProvider(ProviderSettings settings) {
        this.settings = settings;
        this.chatModel = buildChatModel(new RecordingHttpClientBuilder(settings.baseUrl(), settings.timeout()));
    }

    /**
     * Builds the one chat model this provider uses for all its models (the model is named per
     * request), on the given HTTP client, with the configured endpoint, key and timeout, and no
     * retries of its own (retrying is the engine's decision).
     */
    protected abstract ChatModel buildChatModel(RecordingHttpClientBuilder http);

    /** What the API is called in messages, e.g. {@code Anthropic}. */
    protected abstract String apiName();

    /** Whether the API takes images in user messages. */
    protected abstract boolean acceptsImages();

    /** Whether the API takes audio in user messages. */
    protected abstract boolean acceptsAudio();

    /**
     * The stop reason in the specification's words ({@code endTurn}, {@code stopSequence},
     * {@code maxTokens}) or the provider's own, from the API's raw answer where it has one.
     */
    protected abstract String stopReason(FinishReason finishReason, Optional<JsonNode> rawAnswer);

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public List<ModelRating> models() {
        return settings.models();
    }

    @Override
    public SamplingResult sample(SamplingRequest request, String model) {
        if (settings.models().stream().noneMatch(m -> m.model().equals(model))) {
            throw new SamplingException(Kind.UNSUPPORTED, "provider " + name() + " has no model '" + model + "' configured (it has "
                    + settings.models().stream().map(ModelRating::model).toList() + ")", null);
        }
        ChatRequest chatRequest = ChatRequest.builder()
                .messages(messages(request))
                .modelName(model)
                .maxOutputTokens(settings.cappedMaxTokens(request.maxTokens()))
                .temperature(request.temperature())
                .stopSequences(request.stopSequences().isEmpty() ? null : request.stopSequences())
                .build();
        RecordingHttpClientBuilder.clear();
        long start = System.nanoTime();
        ChatResponse response;
        try {
            response = chatModel.chat(chatRequest);
        } catch (RuntimeException e) {
            throw failure(e);
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        Optional<JsonNode> raw = RecordingHttpClientBuilder.takeLastBody().flatMap(LangChain4jSamplingProvider::parse);
        AiMessage answer = response.aiMessage();
        TokenUsage usage = response.tokenUsage();
        String answeredBy = response.modelName() != null ? response.modelName() : model;
        return new SamplingResult(answer == null || answer.text() == null ? "" : answer.text(), answeredBy,
                stopReason(response.finishReason(), raw), count(usage == null ? null : usage.inputTokenCount()),
                count(usage == null ? null : usage.outputTokenCount()), latency);
    }

    /** The stop reason for LangChain4j's common finish reasons; {@code other} when there is none. */
    protected static String commonStopReason(FinishReason finishReason) {
        if (finishReason == null) {
            return "other";
        }
        return switch (finishReason) {
            case STOP -> "endTurn";
            case LENGTH -> "maxTokens";
            case TOOL_EXECUTION -> "toolUse";
            case CONTENT_FILTER -> "contentFilter";
            case OTHER -> "other";
        };
    }

    private List<ChatMessage> messages(SamplingRequest request) {
        List<ChatMessage> messages = new ArrayList<>();
        if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
            messages.add(SystemMessage.from(request.systemPrompt()));
        }
        for (SamplingRequest.Message message : request.messages()) {
            messages.add(message.role() == SamplingRequest.Role.USER ? userMessage(message) : assistantMessage(message));
        }
        return messages;
    }

    private UserMessage userMessage(SamplingRequest.Message message) {
        List<Content> contents = new ArrayList<>();
        for (SamplingRequest.Content content : message.content()) {
            if (content instanceof SamplingRequest.Text text) {
                contents.add(TextContent.from(text.text()));
            } else if (content instanceof SamplingRequest.Image image) {
                if (!acceptsImages()) {
                    throw unsupported("images");
                }
                contents.add(ImageContent.from(image.data(), image.mimeType()));
            } else if (content instanceof SamplingRequest.Audio audio) {
                if (!acceptsAudio()) {
                    throw unsupported("audio");
                }
                contents.add(AudioContent.from(audio.data(), audio.mimeType()));
            }
        }
        return UserMessage.from(contents);
    }

    private AiMessage assistantMessage(SamplingRequest.Message message) {
        StringBuilder text = new StringBuilder();
        for (SamplingRequest.Content content : message.content()) {
            if (!(content instanceof SamplingRequest.Text t)) {
                throw new SamplingException(Kind.UNSUPPORTED, "provider " + name() + " (" + apiName()
                        + ") takes only text in assistant messages; this request has "
                        + (content instanceof SamplingRequest.Image ? "an image" : "audio") + " there", null);
            }
            text.append(t.text());
        }
        return AiMessage.from(text.toString());
    }

    private SamplingException unsupported(String what) {
        return new SamplingException(Kind.UNSUPPORTED, "provider " + name() + " (" + apiName() + ") cannot take " + what
                + " in a sampling request; route this request to a provider that can", null);
    }

    /** Turns whatever LangChain4j or the JDK threw into our error, naming the provider and no secret. */
    SamplingException failure(RuntimeException thrown) {
        String provider = "provider " + name();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SamplingException e) {
                return e;
            }
            if (t instanceof HttpException http) {
                // No cause: LangChain4j's message is the provider's body, which may echo (part of) the key.
                int status = http.statusCode();
                String detail = excerpt(http.getMessage());
                if (status == 401 || status == 403) {
                    return new SamplingException(Kind.REFUSED, provider + " refused: check its key (HTTP " + status + ")", null);
                }
                if (status == 429) {
                    return new SamplingException(Kind.RATE_LIMITED, provider + " is rate-limited (HTTP 429): try again later"
                            + detail, null);
                }
                if (status == 408 || status == 504) {
                    return new SamplingException(Kind.TIMEOUT, provider + " timed out (HTTP " + status + ")" + detail, null);
                }
                if (status >= 400 && status < 500) {
                    return new SamplingException(Kind.REFUSED, provider + " refused the request (HTTP " + status + ")" + detail, null);
                }
                return new SamplingException(Kind.FAILED, provider + " failed (HTTP " + status + ")" + detail, null);
            }
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException
                    || t instanceof TimeoutException) {
                return new SamplingException(Kind.TIMEOUT, provider + " did not answer within " + settings.timeout()
                        + " (statehouse.sampling.provider." + name() + ".timeout)", t);
            }
            if (t instanceof ConnectException || t instanceof UnresolvedAddressException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof UnresolvedModelServerException) {
                return new SamplingException(Kind.UNREACHABLE, provider + " is unreachable at " + endpoint() + ": "
                        + t.getClass().getSimpleName(), t);
            }
            if (t instanceof UnsupportedFeatureException) {
                return new SamplingException(Kind.UNSUPPORTED, provider + " (" + apiName() + ") cannot do this:"
                        + excerpt(t.getMessage()), null);
            }
        }
        return new SamplingException(Kind.FAILED, provider + " failed: " + thrown.getClass().getSimpleName()
                + excerpt(thrown.getMessage()), null);
    }

    /** The configured endpoint, or the API's public one. */
    protected String endpoint() {
        return settings.baseUrl() != null ? settings.baseUrl() : "the " + apiName() + " default endpoint";
    }

    private String excerpt(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String clean = redact(text.replaceAll("\\s+", " ").trim());
        return ": " + (clean.length() > EXCERPT ? clean.substring(0, EXCERPT) + "…" : clean);
    }

    /** Removes the configured secrets from text that came back from the provider. */
    String redact(String text) {
        String clean = text;
        for (String secret : new String[] {settings.apiKey(), settings.secretAccessKey(), settings.accessKeyId()}) {
            if (secret != null && !secret.isBlank()) {
                clean = clean.replace(secret, "***");
            }
        }
        return clean;
    }

    private static long count(Integer tokens) {
        return tokens == null ? -1 : tokens;
    }

    private static Optional<JsonNode> parse(String body) {
        try {
            return Optional.of(JSON.readTree(body));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** A text field of a JSON answer, if present and not null. */
    static Optional<String> text(Optional<JsonNode> node, String... path) {
        if (node.isEmpty()) {
            return Optional.empty();
        }
        JsonNode n = node.get();
        for (String step : path) {
            n = step.matches("\\d+") ? n.path(Integer.parseInt(step)) : n.path(step);
        }
        return n.isTextual() ? Optional.of(n.asText()) : Optional.empty();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
