package io.jcontract.restarter;

/**
 * What a start method gets from the restarter. The start method runs as the
 * first member of the service's new contract.
 */
public interface ServiceContext {
    /** The service name (its service identity). */
    String name();

    /** The id of the contract this start runs in. */
    int contractId();

    /**
     * Reports the service ready: it becomes ONLINE. A start method that
     * returns normally is ready at that moment; one that keeps running (the
     * service's main loop) calls this once it is up. Later calls do nothing.
     */
    void ready();
}
