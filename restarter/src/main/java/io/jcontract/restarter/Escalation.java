package io.jcontract.restarter;

/**
 * What the restarter does when an {@linkplain ServiceSpec#essential() essential}
 * service enters MAINTENANCE: the next supervisor up (systemd, Kubernetes)
 * must take over. Called once per entry into MAINTENANCE, on the restarter
 * thread, with no lock held.
 */
@FunctionalInterface
public interface Escalation {
    /** Exit status of the JVM with {@link #exitJvm()}: 70, {@code EX_SOFTWARE} of sysexits.h. */
    int EXIT_STATUS = 70;

    void escalate(ServiceStatus status);

    /** The default: prints the service's status to standard error and exits the JVM with {@link #EXIT_STATUS}. */
    static Escalation exitJvm() {
        return status -> {
            System.err.println("jcontract restarter: essential service " + status.name()
                    + " is in maintenance (" + status.reason() + "); exiting with status " + EXIT_STATUS);
            System.exit(EXIT_STATUS);
        };
    }
}
