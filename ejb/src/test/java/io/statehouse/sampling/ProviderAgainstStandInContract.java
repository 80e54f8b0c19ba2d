package io.statehouse.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.statehouse.sampling.SamplingException.Kind;
import io.statehouse.sampling.SamplingRequest.Image;
import io.statehouse.sampling.SamplingRequest.Message;
import io.statehouse.sampling.SamplingRequest.Role;
import io.statehouse.sampling.SamplingRequest.Text;

/**
 * The error answers every provider must map the same way, run against each provider's stand-in (a
 * local endpoint playing the hosted API, which cannot be reached from here): 401/403 refused with a
 * hint at the key and never the key itself, 429 rate-limited, 5xx failed, a slow answer timed out, a
 * closed port unreachable.
 */
abstract class ProviderAgainstStandInContract {

    /** The configured secret; the stand-ins echo it in their error bodies, as real APIs echo parts of it. */
    static final String SECRET = "sk-statehouse-test-5ecret-0123456789";
    /** The 8-byte PNG signature, base64. */
    static final String PNG = "iVBORw0KGgo=";

    StandIn standIn;

    @BeforeEach
    void startStandIn() throws IOException {
        standIn = new StandIn();
    }

    @AfterEach
    void stopStandIn() {
        standIn.close();
    }

    /** The provider under test, configured with {@link #SECRET}, the model {@link #model()} and this endpoint. */
    abstract SamplingProvider provider(String baseUrl, Duration timeout);

    /** The base URL an operator would configure for this stand-in. */
    abstract String baseUrl();

    abstract String model();

    /** The API's error body for a status, echoing the secret. */
    abstract String errorBody(int status);

    SamplingProvider provider() {
        return provider(baseUrl(), Duration.ofSeconds(10));
    }

    static SamplingRequest conversation() {
        return new SamplingRequest("You are terse.", List.of(
                new Message(Role.USER, List.of(new Text("What is in this picture?"), new Image(PNG, "image/png"))),
                new Message(Role.ASSISTANT, List.of(new Text("A red dot."))),
                new Message(Role.USER, List.of(new Text("Its colour in French?")))),
                100, 0.25, List.of("END"), "none", null);
    }

    static SamplingRequest hello() {
        return new SamplingRequest(null, List.of(new Message(Role.USER, List.of(new Text("Hello")))), 50, null, List.of(), null, null);
    }

    SamplingException failureFor(int status) {
        standIn.answer(status, errorBody(status));
        return catchThrowableOfType(SamplingException.class, () -> provider().sample(hello(), model()));
    }

    static void assertNoSecret(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET);
            assertThat(t.toString()).doesNotContain(SECRET);
        }
    }

    @Test
    void unauthorizedIsRefusedWithAHintAtTheKeyButNotTheKey() {
        SamplingException e = failureFor(401);
        assertThat(e.kind()).isEqualTo(Kind.REFUSED);
        assertThat(e).hasMessageContaining("provider standin refused: check its key");
        assertNoSecret(e);
    }

    @Test
    void forbiddenIsRefused() {
        SamplingException e = failureFor(403);
        assertThat(e.kind()).isEqualTo(Kind.REFUSED);
        assertNoSecret(e);
    }

    @Test
    void tooManyRequestsIsRateLimited() {
        SamplingException e = failureFor(429);
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e).hasMessageContaining("provider standin").hasMessageContaining("429");
        assertNoSecret(e);
        assertThat(standIn.received()).as("no retries of its own: the engine decides").hasSize(1);
    }

    @Test
    void serverErrorIsAFailureOfTheProvider() {
        SamplingException e = failureFor(500);
        assertThat(e.kind()).isEqualTo(Kind.FAILED);
        assertThat(e).hasMessageContaining("provider standin failed").hasMessageContaining("500");
        assertNoSecret(e);
    }

    @Test
    void anAnswerSlowerThanTheTimeoutIsATimeout() {
        standIn.answer(200, "{}").after(Duration.ofSeconds(5));
        long start = System.nanoTime();
        SamplingException e = catchThrowableOfType(SamplingException.class,
                () -> provider(baseUrl(), Duration.ofMillis(500)).sample(hello(), model()));
        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e).hasMessageContaining("PT0.5S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("gave up before the stand-in answered").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aClosedPortIsUnreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String closed = baseUrl().replaceFirst(":\\d+", ":" + port);
        SamplingException e = catchThrowableOfType(SamplingException.class,
                () -> provider(closed, Duration.ofSeconds(5)).sample(hello(), model()));
        assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(e).hasMessageContaining("provider standin is unreachable");
        assertNoSecret(e);
    }

    @Test
    void aModelThatIsNotConfiguredIsRejectedBeforeAnyRequest() {
        SamplingException e = catchThrowableOfType(SamplingException.class, () -> provider().sample(hello(), "not-configured"));
        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(standIn.received()).isEmpty();
    }
}
