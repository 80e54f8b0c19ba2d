package io.statehouse.mcp.server.engine;

import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.statehouse.engine.EngineStarted;
import io.statehouse.sampling.SamplingModels;
import io.statehouse.sampling.SamplingProvider;

/**
 * Builds the operator's sampling providers once the engine has started, so that a mistake in their
 * configuration stops the start there, naming the property, rather than at the first sampling task.
 */
@ApplicationScoped
public class SamplingProvidersAtStart {

    private static final Logger LOG = Logger.getLogger(SamplingProvidersAtStart.class.getName());

    @Inject
    SamplingModels models;

    void check(@Observes @Priority(EngineStarted.FEATURES + 10) EngineStarted started) {
        LOG.info("Sampling providers: " + models.service().providers().all().stream().map(SamplingProvider::name).toList());
    }
}
