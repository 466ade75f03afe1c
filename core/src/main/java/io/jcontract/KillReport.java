package io.jcontract;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of a kill: whether the contract emptied within the wait, how
 * long the emptying took, the members still alive then (the stragglers),
 * and what became of each thing the kill shut down or closed (rung 4).
 *
 * @param contractId the killed contract
 * @param empty whether no member was left when the wait ended
 * @param elapsed from the kill until the contract emptied, or, if it did not, until the wait ended;
 *                never the time that closing and shutting down took afterwards
 * @param stragglers members alive when the wait ended
 * @param resources rung 4's work as far as it had gone when the wait ended: owned lifecycle
 *                  objects, pools and channels shut down, then registered closeables, in that order
 */
public record KillReport(int contractId, boolean empty, Duration elapsed, List<Straggler> stragglers,
                         List<Resource> resources) {
    public KillReport {
        stragglers = List.copyOf(stragglers);
        resources = List.copyOf(resources);
    }

    /** A report without rung-4 outcomes. */
    public KillReport(int contractId, boolean empty, Duration elapsed, List<Straggler> stragglers) {
        this(contractId, empty, elapsed, stragglers, List.of());
    }

    /**
     * A member that outlived the wait.
     *
     * @param member member id
     * @param name thread name (for a pooled task, the worker running it)
     * @param stack where it was when the wait ended
     */
    public record Straggler(long member, String name, List<StackTraceElement> stack) {
        public Straggler {
            stack = List.copyOf(stack);
        }
    }

    /** How one shut-down or close of rung 4 ended. */
    public enum Outcome {
        /** Not started yet, or still running within its bound. */
        RUNNING,
        /** Returned normally. */
        DONE,
        /** Threw; see {@link Resource#failure()}. */
        FAILED,
        /** Did not return within its bound; it was left running on its own thread. */
        TIMED_OUT
    }

    /**
     * One thing rung 4 shut down or closed.
     *
     * @param what what it was and how it was stopped (e.g. {@code "shutdownNow ThreadPoolExecutor@1f"})
     * @param outcome how it ended
     * @param took how long it ran (so far, while {@link Outcome#RUNNING})
     * @param failure the throwable's class and message for {@link Outcome#FAILED}, else empty
     */
    public record Resource(String what, Outcome outcome, Duration took, String failure) {
    }
}
