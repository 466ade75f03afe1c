package io.jcontract.restarter;

/**
 * A service's start method, run in a new contract as its first member. It
 * may start threads and hand tasks to wrapped executors: they join the
 * service's contract.
 *
 * <p><b>Start method failure</b>: the method throws before the service is
 * ready (before it returned normally or called {@link ServiceContext#ready()}),
 * or it is not ready within the service's start timeout. The restarter then
 * kills the contract and retries; three failures in a row put the service in
 * MAINTENANCE. A throwable after {@code ready()} is an ordinary fault of the
 * running service (CORE, HWERR or SIGNAL).
 */
@FunctionalInterface
public interface StartMethod {
    void start(ServiceContext context) throws Exception;
}
