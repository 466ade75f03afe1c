package io.jcontract;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of a kill: whether the contract emptied within the wait, how
 * long that took, and the members still alive then (the stragglers).
 *
 * @param contractId the killed contract
 * @param empty whether no member was left when the wait ended
 * @param elapsed time from the kill to the end of the wait
 * @param stragglers members alive when the wait ended
 */
public record KillReport(int contractId, boolean empty, Duration elapsed, List<Straggler> stragglers) {
    public KillReport {
        stragglers = List.copyOf(stragglers);
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
}
