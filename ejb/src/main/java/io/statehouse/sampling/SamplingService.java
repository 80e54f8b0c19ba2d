package io.statehouse.sampling;

import java.time.Clock;
import java.time.Duration;

import org.eclipse.microprofile.config.Config;

/**
 * What the engine calls to answer a sampling request with a model: route (override, hints,
 * priorities), admit under the provider's and the MCP server's budgets, call the provider, record
 * tokens and latency. Runs on the caller's thread; holds no engine or SDK types.
 */
public final class SamplingService {

    /** A provider's reply and which provider gave it. */
    public record ProviderReply(String provider, SamplingResult result) {
    }

    private final SamplingProviders providers;
    private final SamplingBudgets budgets;

    public SamplingService(SamplingProviders providers, SamplingBudgets budgets) {
        this.providers = providers;
        this.budgets = budgets;
    }

    /** Providers and budgets from the configuration, on the system clock, counted in the given ledger. */
    public static SamplingService fromConfig(Config config, SamplingLedger ledger) {
        return new SamplingService(SamplingProviders.fromConfig(config), new SamplingBudgets(config, Clock.systemUTC(), ledger));
    }

    public SamplingProviders providers() {
        return providers;
    }

    public SamplingBudgets budgets() {
        return budgets;
    }

    /**
     * @param request   the server's request
     * @param override  the BPMN element's or server's provider override ({@code name} or {@code name/model}), or null
     * @param serverKey the MCP server's name, for its budget, or null
     * @throws SamplingException with a message a person can act on
     */
    public ProviderReply sample(SamplingRequest request, String override, String serverKey) {
        ModelRouter.Candidate choice = ModelRouter.choose(request.modelPreferences(), providers.candidates(), override);
        SamplingProvider provider = providers.get(choice.provider()).orElseThrow();
        SamplingBudgets.Permit permit = budgets.admit(provider.name(), serverKey);
        long start = System.nanoTime();
        try {
            SamplingResult result = provider.sample(request, choice.model());
            permit.record(Math.max(0, result.inputTokens()) + Math.max(0, result.outputTokens()), result.latency());
            return new ProviderReply(provider.name(), result);
        } catch (RuntimeException e) {
            permit.record(0, Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
    }
}
