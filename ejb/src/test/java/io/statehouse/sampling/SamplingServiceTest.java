package io.statehouse.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.statehouse.sampling.SamplingException.Kind;
import io.statehouse.sampling.SamplingRequest.Message;
import io.statehouse.sampling.SamplingRequest.ModelPreferences;
import io.statehouse.sampling.SamplingRequest.Role;
import io.statehouse.sampling.SamplingRequest.Text;

/** The service the engine calls: routes, admits under both budgets, calls, accounts. */
class SamplingServiceTest {

    /** A provider that answers from memory and remembers which model it was asked for. */
    static final class Scripted implements SamplingProvider {
        final String name;
        final List<ModelRating> models;
        final List<String> asked = new ArrayList<>();
        RuntimeException failure;

        Scripted(String name, ModelRating... models) {
            this.name = name;
            this.models = List.of(models);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<ModelRating> models() {
            return models;
        }

        @Override
        public SamplingResult sample(SamplingRequest request, String model) {
            asked.add(model);
            if (failure != null) {
                throw failure;
            }
            return new SamplingResult("ok from " + model, model, "endTurn", 10, 5, Duration.ofMillis(7));
        }
    }

    final Scripted cheap = new Scripted("local", new SamplingProvider.ModelRating("llama3.2", 1, 0.6, 0.2));
    final Scripted smart = new Scripted("claude", new SamplingProvider.ModelRating("claude-sonnet-4-5", 0.2, 0.5, 0.9));

    SamplingService service(Map<String, String> budgets) {
        return new SamplingService(new SamplingProviders(List.of(cheap, smart)), new SamplingBudgets(new MapConfig(budgets), Clock.systemUTC()));
    }

    static SamplingRequest request(ModelPreferences preferences) {
        return new SamplingRequest(null, List.of(new Message(Role.USER, List.of(new Text("hi")))), 10, null, List.of(), null, preferences);
    }

    @Test
    void routesByPreferencesAndSaysWhichProviderAnswered() {
        SamplingService.ProviderReply answer = service(Map.of()).sample(request(new ModelPreferences(List.of(), null, null, 1.0)), null, "everything");
        assertThat(answer.provider()).isEqualTo("claude");
        assertThat(answer.result().text()).isEqualTo("ok from claude-sonnet-4-5");
        assertThat(cheap.asked).isEmpty();
    }

    @Test
    void theOverrideWins() {
        SamplingService.ProviderReply answer = service(Map.of()).sample(request(new ModelPreferences(List.of("sonnet"), null, null, 1.0)), "local", null);
        assertThat(answer.provider()).isEqualTo("local");
    }

    @Test
    void recordsTokensAndLatencyUnderTheProviderAndTheServer() {
        SamplingService service = service(Map.of());
        service.sample(request(null), "claude", "everything");
        service.sample(request(null), "claude", "everything");
        assertThat(service.budgets().usage("claude").totalTokens()).isEqualTo(30);
        assertThat(service.budgets().usage("everything").totalCalls()).isEqualTo(2);
        assertThat(service.budgets().usage("everything").totalLatency()).isEqualTo(Duration.ofMillis(14));
    }

    @Test
    void aServerOverItsBudgetIsRejectedBeforeTheProviderIsCalled() {
        SamplingService service = service(Map.of("statehouse.sampling.budget.everything.calls", "1"));
        service.sample(request(null), "claude", "everything");
        SamplingException e = catchThrowableOfType(SamplingException.class, () -> service.sample(request(null), "claude", "everything"));
        assertThat(e.kind()).isEqualTo(Kind.OVER_BUDGET);
        assertThat(e).hasMessageContaining("'everything'");
        assertThat(smart.asked).hasSize(1);
        service.sample(request(null), "claude", "another-server");
    }

    @Test
    void aFailedCallStillCountsAsACall() {
        SamplingService service = service(Map.of("statehouse.sampling.budget.claude.calls", "1"));
        smart.failure = new SamplingException(Kind.RATE_LIMITED, "provider claude is rate-limited (HTTP 429): try again later", null);
        catchThrowableOfType(SamplingException.class, () -> service.sample(request(null), "claude", null));
        assertThat(service.budgets().usage("claude").totalCalls()).isEqualTo(1);
        SamplingException e = catchThrowableOfType(SamplingException.class, () -> service.sample(request(null), "claude", null));
        assertThat(e.kind()).isEqualTo(Kind.OVER_BUDGET);
    }
}
