package io.jcontract.restarter;

import io.jcontract.ContractEvent;
import io.jcontract.KillReport;

import java.util.List;

/**
 * What the restarter tells its {@linkplain Restarter.Builder#listener listeners}:
 * a live event log (like {@code ctwatch} plus the state changes of
 * {@code svcs}). Delivered on the restarter thread, in order, with no lock
 * held; a listener must be quick and must not call back into blocking
 * restarter methods ({@code awaitState}, {@code stop}).
 */
public sealed interface RestarterEvent {

    /** A service changed state. */
    record StateChanged(String service, ServiceState from, ServiceState to, String reason)
            implements RestarterEvent { }

    /**
     * A critical event of a service's contract was read; {@code action} says
     * how it is handled. Delivered before the kill, restart and state
     * changes it leads to, so a log reads cause first.
     */
    record ContractEventHandled(String service, ContractEvent event, String action) implements RestarterEvent { }

    /** A service's contract was killed (to restart or stop it); the report names any stragglers. */
    record ServiceKilled(String service, KillReport report) implements RestarterEvent { }

    /**
     * The restarter starts {@code service} again, after a fault, an exit that
     * restart_on restarts, or a failed start; {@code restarts} counts the
     * restarts since the service was added or last cleared.
     */
    record ServiceRestarting(String service, int restarts, String reason) implements RestarterEvent { }

    /** An essential service entered MAINTENANCE and the escalation was called. */
    record Escalated(String service, String reason) implements RestarterEvent { }

    /**
     * The restarter thread died and the supervisor started generation
     * {@code generation}, which adopted the contracts {@code adopted}.
     */
    record RestarterRestarted(int generation, List<Integer> adopted) implements RestarterEvent {
        public RestarterRestarted {
            adopted = List.copyOf(adopted);
        }
    }
}
