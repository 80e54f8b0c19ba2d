package io.statehouse.engine;

import jakarta.interceptor.Interceptor;

import org.camunda.bpm.engine.ProcessEngine;

/**
 * The CDI event that the bootstrap fires once the engine runs and Statehouse's models are deployed:
 * the start-up chores of the features observe it (ordered with {@code @Priority}), so that the
 * bootstrap knows none of them. An observer that throws stops the start, and the engine with it.
 *
 * @param engine   the running engine
 * @param database the database product name, as the JDBC driver reports it
 * @param demo     whether the embedded demo profile is on
 */
public record EngineStarted(ProcessEngine engine, String database, boolean demo) {

    /** The order of the chores: Statehouse's own setup first (users, filters, the demo), then the features'. */
    public static final int SETUP = Interceptor.Priority.APPLICATION;
    /** See {@link #SETUP}. */
    public static final int FEATURES = SETUP + 100;
}
