package io.jcontract.restarter;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The restarter's JFR events ({@code io.jcontract.Restart}, {@code io.jcontract.Maintenance};
 * category "jcontract"), next to the kernel's ({@code io.jcontract.Fork} ...) in core.
 *
 * <h2>Theory of operation</h2>
 * As in core's {@code JfrEvents}: each method first checks {@code AVAILABLE && On.X.isEnabled()} on a
 * static event instance that is never committed, so with JFR off a call costs a field read and a branch
 * and allocates nothing. {@code AVAILABLE} keeps the restarter working on a runtime without the
 * {@code jdk.jfr} module: {@link On}, the only class that touches {@code jdk.jfr}, is then never loaded.
 * Called from the restarter's thread, with no lock held.
 */
final class RestarterJfr {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private RestarterJfr() {
    }

    static void restart(String service, int restarts, String reason) {
        if (AVAILABLE && On.RESTART.isEnabled()) On.restart(service, restarts, reason);
    }

    static void maintenance(String service, String from, String reason) {
        if (AVAILABLE && On.MAINTENANCE.isEnabled()) On.maintenance(service, from, reason);
    }

    /** The event types and the code that touches {@code jdk.jfr}: loaded on the first call when the module is present. */
    private static final class On {
        static final Restart RESTART = new Restart();
        static final Maintenance MAINTENANCE = new Maintenance();

        static void restart(String service, int restarts, String reason) {
            Restart e = new Restart();
            e.service = service;
            e.restarts = restarts;
            e.reason = reason;
            e.commit();
        }

        static void maintenance(String service, String from, String reason) {
            Maintenance e = new Maintenance();
            e.service = service;
            e.from = from;
            e.reason = reason;
            e.commit();
        }
    }

    @Name("io.jcontract.Restart") @Label("Service Restart") @Category("jcontract")
    @Description("The restarter starts a service again after a fault, an exit or a failed start")
    @StackTrace(false)
    static final class Restart extends Event {
        @Label("Service") String service;
        @Label("Restarts") @Description("Restarts since the service was added or last cleared") int restarts;
        @Label("Reason") String reason;
    }

    @Name("io.jcontract.Maintenance") @Label("Service Maintenance") @Category("jcontract")
    @Description("A service entered MAINTENANCE")
    @StackTrace(false)
    static final class Maintenance extends Event {
        @Label("Service") String service;
        @Label("From State") String from;
        @Label("Reason") String reason;
    }
}
