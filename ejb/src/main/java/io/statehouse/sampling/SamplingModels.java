package io.statehouse.sampling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;


/**
 * The operator's sampling providers ({@code statehouse.sampling.*}), built once from configuration,
 * with budgets that every node counts in the database's ledger; none is required. A configuration error fails the start with the property it is about
 * ({@code SamplingProvidersAtStart}, on the engine side, builds them when the engine has started).
 */
@ApplicationScoped
public class SamplingModels {

    @Inject
    Config config;

    @Inject
    SamplingLedger ledger;

    private volatile SamplingService service;

    /** The providers, built from configuration on first use. */
    public SamplingService service() {
        SamplingService built = service;
        if (built == null) {
            synchronized (this) {
                if (service == null) {
                    service = SamplingService.fromConfig(config, ledger);
                }
                built = service;
            }
        }
        return built;
    }

    /** Whether a BPMN element's provider ({@code name} or {@code name/model}) names a configured provider. */
    public boolean knows(String provider) {
        String name = provider.contains("/") ? provider.substring(0, provider.indexOf('/')) : provider;
        return service().providers().get(name).isPresent();
    }
}
