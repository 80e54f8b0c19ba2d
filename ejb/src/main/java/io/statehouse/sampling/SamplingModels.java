package io.statehouse.sampling;

import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

import io.statehouse.engine.EngineStarted;


/**
 * The operator's sampling providers ({@code statehouse.sampling.*}), built once from configuration,
 * with budgets that every node counts in the database's ledger; none is required. A configuration error fails the start with the property it is about.
 */
@ApplicationScoped
public class SamplingModels {

    private static final Logger LOG = Logger.getLogger(SamplingModels.class.getName());

    @Inject
    Config config;

    @Inject
    SamplingLedger ledger;

    private volatile SamplingService service;

    /** A mistake in the providers' configuration stops the start here, naming the property. */
    void check(@Observes @Priority(EngineStarted.FEATURES + 10) EngineStarted started) {
        LOG.info("Sampling providers: " + service().providers().all().stream().map(SamplingProvider::name).toList());
    }

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
