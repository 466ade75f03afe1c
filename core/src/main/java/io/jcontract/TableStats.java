package io.jcontract;

/**
 * Counts over the whole contract table, for leak checks and metrics.
 *
 * @param liveContracts contracts not yet dead, the root included
 * @param members members of live contracts (threads and running tasks)
 * @param pendingTasks tasks handed to executors that have not started
 * @param listeners open listeners on the bundle, contract and owner queues
 * @param retainedEvents events those queues still keep
 */
public record TableStats(int liveContracts, int members, int pendingTasks, int listeners, long retainedEvents) {
}
