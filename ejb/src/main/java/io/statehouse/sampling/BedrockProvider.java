package io.statehouse.sampling;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import io.statehouse.sampling.SamplingException.Kind;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/**
 * A provider on Amazon Bedrock's Converse API, through the AWS SDK for Java 2 on its URLConnection
 * HTTP client (langchain4j-bedrock is not on the Maven repository this project builds from). Takes
 * PNG, JPEG, GIF and WebP images; audio is rejected as unsupported. Credentials: the configured
 * access key pair, else the AWS default chain (environment, profile, instance role).
 */
public class BedrockProvider implements SamplingProvider {

    private final ProviderSettings settings;
    private final BedrockRuntimeClient client;

    public BedrockProvider(ProviderSettings settings) {
        this.settings = settings;
        if (settings.region() == null) {
            throw new IllegalArgumentException(ProviderSettings.key(settings.name(), "region") + " is not set: a bedrock provider needs its AWS region");
        }
        BedrockRuntimeClientBuilder builder = BedrockRuntimeClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(min(settings.timeout(), Duration.ofSeconds(10)))
                        .socketTimeout(settings.timeout()))
                // Retrying is the engine's decision, as for the other providers.
                .overrideConfiguration(c -> c.apiCallTimeout(settings.timeout()).retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (settings.baseUrl() != null) {
            builder.endpointOverride(URI.create(settings.baseUrl()));
        }
        this.client = builder.build();
    }

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
            throw new SamplingException(Kind.UNSUPPORTED, "provider " + name() + " has no model '" + model + "' configured", null);
        }
        InferenceConfiguration.Builder inference = InferenceConfiguration.builder()
                .maxTokens(settings.cappedMaxTokens(request.maxTokens()));
        if (request.temperature() != null) {
            inference.temperature(request.temperature().floatValue());
        }
        if (!request.stopSequences().isEmpty()) {
            inference.stopSequences(request.stopSequences());
        }
        ConverseRequest.Builder converse = ConverseRequest.builder().modelId(model).messages(messages(request))
                .inferenceConfig(inference.build());
        if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
            converse.system(SystemContentBlock.fromText(request.systemPrompt()));
        }
        long start = System.nanoTime();
        ConverseResponse response;
        try {
            response = client.converse(converse.build());
        } catch (SdkException e) {
            throw failure(e);
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        StringBuilder text = new StringBuilder();
        if (response.output() != null && response.output().message() != null) {
            response.output().message().content().stream().filter(b -> b.text() != null).forEach(b -> text.append(b.text()));
        }
        long in = response.usage() == null || response.usage().inputTokens() == null ? -1 : response.usage().inputTokens();
        long out = response.usage() == null || response.usage().outputTokens() == null ? -1 : response.usage().outputTokens();
        // Converse does not name the model that answered: it is the one addressed.
        return new SamplingResult(text.toString(), model, stopReason(response.stopReasonAsString()), in, out, latency);
    }

    static String stopReason(String reason) {
        if (reason == null) {
            return "other";
        }
        return switch (reason) {
            case "end_turn" -> "endTurn";
            case "stop_sequence" -> "stopSequence";
            case "max_tokens" -> "maxTokens";
            default -> reason;
        };
    }

    private List<Message> messages(SamplingRequest request) {
        List<Message> messages = new ArrayList<>();
        for (SamplingRequest.Message message : request.messages()) {
            List<ContentBlock> blocks = new ArrayList<>();
            boolean user = message.role() == SamplingRequest.Role.USER;
            for (SamplingRequest.Content content : message.content()) {
                if (content instanceof SamplingRequest.Text t) {
                    blocks.add(ContentBlock.fromText(t.text()));
                } else if (content instanceof SamplingRequest.Image image && user) {
                    blocks.add(ContentBlock.fromImage(ImageBlock.builder().format(imageFormat(image.mimeType()))
                            .source(ImageSource.fromBytes(SdkBytes.fromByteArray(Base64.getDecoder().decode(image.data())))).build()));
                } else if (content instanceof SamplingRequest.Audio) {
                    throw new SamplingException(Kind.UNSUPPORTED, "provider " + name()
                            + " (Bedrock Converse) cannot take audio in a sampling request; route this request to a provider that can", null);
                } else {
                    throw new SamplingException(Kind.UNSUPPORTED, "provider " + name()
                            + " (Bedrock Converse) takes only text in assistant messages", null);
                }
            }
            messages.add(Message.builder().role(user ? ConversationRole.USER : ConversationRole.ASSISTANT).content(blocks).build());
        }
        return messages;
    }

    private ImageFormat imageFormat(String mimeType) {
        String subtype = mimeType == null ? "" : mimeType.toLowerCase(Locale.ROOT).replace("image/", "");
        return switch (subtype) {
            case "png" -> ImageFormat.PNG;
            case "jpeg", "jpg" -> ImageFormat.JPEG;
            case "gif" -> ImageFormat.GIF;
            case "webp" -> ImageFormat.WEBP;
            default -> throw new SamplingException(Kind.UNSUPPORTED, "provider " + name()
                    + " (Bedrock Converse) takes PNG, JPEG, GIF or WebP images, not " + mimeType, null);
        };
    }

    SamplingException failure(SdkException thrown) {
        String provider = "provider " + name();
        if (thrown instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            String detail = code == null ? "" : ", " + code;
            if (status == 401 || status == 403) {
                return new SamplingException(Kind.REFUSED, provider + " refused: check its key (HTTP " + status + detail + ")", null);
            }
            if (status == 429 || "ThrottlingException".equals(code)) {
                return new SamplingException(Kind.RATE_LIMITED, provider + " is rate-limited (HTTP " + status + detail
                        + "): try again later", null);
            }
            if (status == 408 || "ModelTimeoutException".equals(code)) {
                return new SamplingException(Kind.TIMEOUT, provider + " timed out (HTTP " + status + detail + ")", null);
            }
            if (status >= 400 && status < 500) {
                return new SamplingException(Kind.REFUSED, provider + " refused the request (HTTP " + status + detail + ")"
                        + excerpt(service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorMessage()), null);
            }
            return new SamplingException(Kind.FAILED, provider + " failed (HTTP " + status + detail + ")", null);
        }
        if (thrown instanceof ApiCallTimeoutException || thrown instanceof ApiCallAttemptTimeoutException) {
            return timeout(thrown);
        }
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return timeout(t);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return new SamplingException(Kind.UNREACHABLE, provider + " is unreachable at "
                        + (settings.baseUrl() != null ? settings.baseUrl() : "Bedrock in " + settings.region()) + ": "
                        + t.getClass().getSimpleName(), t);
            }
        }
        if (String.valueOf(thrown.getMessage()).contains("credentials")) {
            return new SamplingException(Kind.REFUSED, provider + " has no usable AWS credentials: set "
                    + ProviderSettings.key(name(), "access-key-id") + " and secret-access-key, or the AWS default chain", null);
        }
        return new SamplingException(Kind.FAILED, provider + " failed: " + thrown.getClass().getSimpleName() + excerpt(thrown.getMessage()), null);
    }

    private SamplingException timeout(Throwable cause) {
        return new SamplingException(Kind.TIMEOUT, "provider " + name() + " did not answer within " + settings.timeout()
                + " (" + ProviderSettings.key(name(), "timeout") + ")", cause);
    }

    private String excerpt(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String clean = text.replaceAll("\\s+", " ").trim();
        for (String secret : new String[] {settings.secretAccessKey(), settings.accessKeyId(), settings.apiKey()}) {
            if (secret != null && !secret.isBlank()) {
                clean = clean.replace(secret, "***");
            }
        }
        return ": " + (clean.length() > 300 ? clean.substring(0, 300) + "…" : clean);
    }

    private static AwsCredentialsProvider credentials(ProviderSettings settings) {
        if (settings.accessKeyId() != null && settings.secretAccessKey() != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
