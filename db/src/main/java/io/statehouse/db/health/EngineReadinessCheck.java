package io.statehouse.db.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.camunda.bpm.BpmPlatform;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Statehouse is ready only when its process engine is registered, the engine's database answers
 * and the job executor runs, so that async continuations and timers move.
 */
@Readiness
@ApplicationScoped
public class EngineReadinessCheck implements HealthCheck {

    static final String NAME = "statehouse-engine";
    // The engine that io.statehouse.engine.EngineBootstrap registers; this jar cannot see that class.
    static final String ENGINE = ProcessEngines.NAME_DEFAULT;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).withData("engine", ENGINE);
        ProcessEngine engine = BpmPlatform.getProcessEngineService().getProcessEngine(ENGINE);
        if (engine == null) {
            return response.down().withData("detail", "the process engine is not running").build();
        }
        boolean jobs = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getJobExecutor().isActive();
        try {
            engine.getManagementService().getProperties();
        } catch (RuntimeException e) {
            return response.down().withData("detail", "the engine's database does not answer: " + e.getMessage()).build();
        }
        return response.status(jobs)
                .withData("database", "up")
                .withData("jobExecutor", jobs ? "active" : "stopped")
                .build();
    }
}
