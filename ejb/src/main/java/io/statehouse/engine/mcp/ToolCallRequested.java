package io.statehouse.engine.mcp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;

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
        Context.getCommandContext().getTransactionContext()
                .addTransactionListener(TransactionState.COMMITTED, commandContext -> signal.wake());
    }
}
