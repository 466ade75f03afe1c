package io.jcontract.restarter;

import io.jcontract.KillReport;

import java.time.Instant;

/**
 * What the restarter reports about one service: an immutable snapshot.
 *
 * @param name the service name (service identity)
 * @param state the current state
 * @param reason why it is in that state (the event, the failure, the command)
 * @param contractId the contract the service runs in, or 0 when it has none
 * @param restarts starts after the first one, since it was added or last cleared
 * @param startFailures start method failures in a row
 * @param enabled whether it is enabled
 * @param since when it entered the state (or the reason last changed)
 * @param lastKill the report of the last kill of its contract, or {@code null}
 */
public record ServiceStatus(String name, ServiceState state, String reason, int contractId, int restarts,
                            int startFailures, boolean enabled, Instant since, KillReport lastKill) {
}
