package io.jcontract.example.appserver;

import io.jcontract.ContractStatus;
import io.jcontract.restarter.ServiceStatus;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The final status tables, like {@code svcs} and {@code ctstat}: the
 * services (state when the load stopped and after the shutdown, contract,
 * restarts, why), the requests per subsystem,
 * the injected faults and how each was detected, and the contracts still
 * alive. Plain text, fixed columns.
 */
final class StatusTable {
    private StatusTable() {
    }

    /**
     * @param atEndOfRun the services when the load stopped (column RUN END)
     * @param services the services now, after the shutdown
     */
    static void print(PrintStream out, List<ServiceStatus> atEndOfRun, List<ServiceStatus> services,
                      Map<String, LoadDriver.Counts> requests,
                      List<FaultLedger.Fault> faults, List<ContractTree.Node> contracts) {
        out.println();
        out.printf(Locale.ROOT, "%-32s %-12s %-12s %5s %8s  %s%n", "SERVICE", "RUN END", "STATE", "CTID", "RESTARTS",
                "REASON");
        for (ServiceStatus s : services)
            out.printf(Locale.ROOT, "%-32s %-12s %-12s %5s %8d  %s%n", s.name(), atEndOfRun.stream()
                            .filter(a -> a.name().equals(s.name())).map(a -> a.state().name()).findFirst().orElse("-"),
                    s.state(),
                    s.contractId() == 0 ? "-" : Integer.toString(s.contractId()), s.restarts(), shorten(s.reason(), 60));
        out.println();
        out.printf(Locale.ROOT, "%-10s %10s %8s%n", "SUBSYSTEM", "SUCCEEDED", "FAILED");
        requests.forEach((name, c) ->
                out.printf(Locale.ROOT, "%-10s %10d %8d%n", name, c.succeeded.get(), c.failed.get()));
        out.println();
        out.printf(Locale.ROOT, "%-12s %-32s %8s %9s  %s%n", "FAULT", "SERVICE", "AT", "DETECTED", "HOW");
        for (FaultLedger.Fault f : faults)
            out.printf(Locale.ROOT, "%-12s %-32s %7.2fs %9s  %s%n", f.kind(), f.service(), f.injectedAtMillis() / 1e3,
                    f.detected() ? String.format(Locale.ROOT, "%.2fs", f.detectedAtMillis() / 1e3) : "NO",
                    shorten(f.detected() ? f.detection() : f.how(), 80));
        out.println();
        out.printf(Locale.ROOT, "%-5s %-9s %6s %7s %7s  %s%n", "CTID", "STATE", "PARENT", "HOLDER", "MEMBERS", "SERVICE");
        for (ContractTree.Node n : contracts) {
            ContractStatus s = n.status();
            out.printf(Locale.ROOT, "%-5d %-9s %6s %7d %7d  %s%n", s.id(), s.state(),
                    n.parent() == 0 ? "-" : Integer.toString(n.parent()), s.ownerId(), s.members().size(),
                    s.serviceIdentity() == null ? "" : s.serviceIdentity());
        }
    }

    private static String shorten(String s, int max) {
        if (s == null) return "";
        s = s.replace('\n', ' ');
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
