package io.statehouse.engine;

import jakarta.enterprise.context.ApplicationScoped;

import org.camunda.bpm.engine.ProcessEngine;

/**
 * The one way to the running process engine for every feature: the bootstrap publishes the engine
 * here once it is built and withdraws it before it closes, so that no feature injects the bootstrap.
 */
@ApplicationScoped
public class RunningEngine {

    private volatile ProcessEngine engine;

    /** The running engine, or null before it started and after it stopped (pollers skip a round then). */
    public ProcessEngine processEngine() {
        return engine;
    }

    /**
     * The running engine.
     *
     * @throws IllegalStateException before the engine started and after it stopped
     */
    public ProcessEngine require() {
        ProcessEngine running = engine;
        if (running == null) {
            throw new IllegalStateException("The process engine is not running");
        }
        return running;
    }

    /** For the bootstrap: the engine is built and registered. */
    public void started(ProcessEngine started) {
        engine = started;
    }

    /** For the bootstrap: the engine is about to close. */
    public void stopped() {
        engine = null;
    }
}
