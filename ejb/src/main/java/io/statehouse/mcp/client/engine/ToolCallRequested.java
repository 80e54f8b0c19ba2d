package io.statehouse.mcp.client.engine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

import io.statehouse.engine.AfterCommit;

/**
 * {@code ${mcpToolCallRequested}}: when a run reaches "Call the MCP tool", wakes the worker once
 * the transaction that created the external task has committed.
 */
@ApplicationScoped
public class ToolCallRequested implements ExecutionListener {

    /** The name BPMN models use for this listener. */
    public static final String BEAN = "mcpToolCallRequested";

    @Inject
    WorkerSignal signal;

    @Override
    public void notify(DelegateExecution execution) {
        AfterCommit.run(signal::wake);
    }
}
