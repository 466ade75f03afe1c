/**
 * jcontract's Micrometer binder ({@code io.jcontract.metrics.ContractMetrics}): the only jcontract
 * module that depends on Micrometer (its automatic module name is {@code micrometer.core}). Reads a
 * restarter's services through its public API and
 * core's counters through the management facade, never the kernel.
 */
module io.jcontract.micrometer {
    requires transitive io.jcontract;
    requires transitive micrometer.core;
    requires transitive io.jcontract.restarter; // ContractMetrics.forRestarter

    exports io.jcontract.metrics;
}
