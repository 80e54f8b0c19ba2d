package io.statehouse.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;

/**
 * The one way for work to leave an engine transaction: what a run tells the outside (an answer for
 * a waiting call, its caller's question, progress, its end, a wake-up of a worker) runs once the
 * transaction has committed, never when it rolls back, and in the order it was asked for. The
 * engine runs its own commit listeners last-registered first, which would send a run's result
 * before the progress that led to it; every feature uses this helper so that one ordering rule holds.
 */
public final class AfterCommit {

    private static final Logger LOG = Logger.getLogger(AfterCommit.class.getName());
    private static final Map<CommandContext, Pending> PENDING = new ConcurrentHashMap<>();

    /** A transaction's actions in order, and the state some of them gather while it runs. */
    private record Pending(List<Runnable> actions, Map<Object, Object> states) {
    }

    private AfterCommit() {
    }

    /** Runs the action after the current command's transaction commits; never if it rolls back. */
    public static void run(Runnable action) {
        pending().actions().add(action);
    }

    /**
     * State that the current transaction gathers under a key, for one action after its commit: the
     * first call in a transaction creates it and queues the action (which takes that place in the
     * order); later calls in the same transaction get the same state.
     */
    @SuppressWarnings("unchecked")
    public static <T> T gather(Object key, Supplier<T> create, Consumer<T> action) {
        Pending pending = pending();
        return (T) pending.states().computeIfAbsent(key, k -> {
            T state = create.get();
            pending.actions().add(() -> action.accept(state));
            return state;
        });
    }

    private static Pending pending() {
        CommandContext commandContext = Context.getCommandContext();
        return PENDING.computeIfAbsent(commandContext, context -> {
            var transaction = context.getTransactionContext();
            transaction.addTransactionListener(TransactionState.COMMITTED, committed -> {
                Pending actions = PENDING.remove(context);
                if (actions != null) {
                    for (Runnable each : actions.actions()) {
                        try {
                            each.run();
                        } catch (RuntimeException e) {
                            LOG.log(Level.WARNING, "An action after the commit failed", e);
                        }
                    }
                }
            });
            transaction.addTransactionListener(TransactionState.ROLLED_BACK, rolledBack -> PENDING.remove(context));
            return new Pending(new CopyOnWriteArrayList<>(), new ConcurrentHashMap<>());
        });
    }
}
