package io.statehouse.engine.tools;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;

/**
 * What a run tells the outside (its caller's progress, its end) once the engine's transaction has
 * committed, in the order it happened. The engine runs its own commit listeners last-registered
 * first, which would send a run's result before the progress that led to it.
 */
final class AfterCommit {

    private static final Logger LOG = Logger.getLogger(AfterCommit.class.getName());
    private static final Map<CommandContext, List<Runnable>> PENDING = new ConcurrentHashMap<>();

    private AfterCommit() {
    }

    /** Runs the action after the current command's transaction commits; never if it rolls back. */
    static void run(Runnable action) {
        CommandContext commandContext = Context.getCommandContext();
        PENDING.computeIfAbsent(commandContext, context -> {
            var transaction = context.getTransactionContext();
            transaction.addTransactionListener(TransactionState.COMMITTED, committed -> {
                List<Runnable> actions = PENDING.remove(context);
                if (actions != null) {
                    for (Runnable each : actions) {
                        try {
                            each.run();
                        } catch (RuntimeException e) {
                            LOG.log(Level.WARNING, "An action after the commit failed", e);
                        }
                    }
                }
            });
            transaction.addTransactionListener(TransactionState.ROLLED_BACK, rolledBack -> PENDING.remove(context));
            return new CopyOnWriteArrayList<>();
        }).add(action);
    }
}
