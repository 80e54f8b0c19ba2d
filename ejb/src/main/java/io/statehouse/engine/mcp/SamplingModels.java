package io.statehouse.engine.mcp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

import io.statehouse.sampling.SamplingService;

/**
 * The operator's sampling providers ({@code statehouse.sampling.*}), built once from configuration;
 * none is required. A configuration error fails the start with the property it is about.
 */
@ApplicationScoped
public class SamplingModels {

    @Inject
    Config config;

    private volatile SamplingService service;

    public SamplingService service() {
        SamplingService built = service;
        if (built == null) {
            synchronized (this) {
                if (service == null) {
                    service = SamplingService.fromConfig(config);
                }
                built = service;
            }
        }
        return built;
    }

    /** Whether a BPMN element's provider ({@code name} or {@code name/model}) names a configured provider. */
    boolean knows(String provider) {
        String name = provider.contains("/") ? provider.substring(0, provider.indexOf('/')) : provider;
        return service().providers().get(name).isPresent();
    }
}
