package io.statehouse.sampling;

import java.net.http.HttpClient.Version;
import java.time.Duration;
import java.util.Optional;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

/**
 * LangChain4j's JDK HTTP client, remembering the body of the last answer on the calling thread. The
 * providers read what LangChain4j's common types flatten (the provider's own stop reason, such as
 * Anthropic's {@code stop_sequence} or Gemini's {@code SAFETY}) from that body.
 */
final class RecordingHttpClientBuilder implements HttpClientBuilder {

    private static final ThreadLocal<String> LAST_BODY = new ThreadLocal<>();

    private final JdkHttpClientBuilder delegate;

    RecordingHttpClientBuilder(String baseUrl, Duration timeout) {
        // Plain-HTTP local servers (vLLM on uvicorn, Ollama) need no h2c upgrade dance; TLS endpoints negotiate HTTP/2.
        Version version = baseUrl != null && baseUrl.startsWith("http:") ? Version.HTTP_1_1 : Version.HTTP_2;
        this.delegate = JdkHttpClient.builder()
                .httpClientBuilder(java.net.http.HttpClient.newBuilder().version(version))
                .connectTimeout(min(timeout, Duration.ofSeconds(10)))
                .readTimeout(timeout);
    }

    /** Forgets what this thread saw, before a call. */
    static void clear() {
        LAST_BODY.remove();
    }

    /** The body of the last successful answer on this thread, if any; clears it. */
    static Optional<String> takeLastBody() {
        String body = LAST_BODY.get();
        LAST_BODY.remove();
        return Optional.ofNullable(body);
    }

    @Override
    public Duration connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
        // The providers' builders pass their own timeout here; ours (from configuration) stays.
        return this;
    }

    @Override
    public Duration readTimeout() {
        return delegate.readTimeout();
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
        return this;
    }

    @Override
    public HttpClient build() {
        HttpClient client = delegate.build();
        return new HttpClient() {
            @Override
            public SuccessfulHttpResponse execute(HttpRequest request) throws HttpException {
                SuccessfulHttpResponse response = client.execute(request);
                LAST_BODY.set(response.body());
                return response;
            }

            @Override
            public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
                client.execute(request, parser, listener);
            }
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
