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
 * alive. Plain text; every column but the last is as wide as its widest
 * cell, and the last (a reason, how a fault was detected) is never cut.
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
        int nameWidth = width("SERVICE", services.stream().map(ServiceStatus::name).toList());
        out.printf(Locale.ROOT, "%-" + nameWidth + "s %-12s %-12s %5s %8s  %s%n", "SERVICE", "RUN END", "STATE", "CTID",
                "RESTARTS", "REASON");
        for (ServiceStatus s : services)
            out.printf(Locale.ROOT, "%-" + nameWidth + "s %-12s %-12s %5s %8d  %s%n", s.name(), atEndOfRun.stream()
                            .filter(a -> a.name().equals(s.name())).map(a -> a.state().name()).findFirst().orElse("-"),
                    s.state(),
                    s.contractId() == 0 ? "-" : Integer.toString(s.contractId()), s.restarts(), oneLine(s.reason()));
        out.println();
        out.printf(Locale.ROOT, "%-10s %10s %8s%n", "SUBSYSTEM", "SUCCEEDED", "FAILED");
        requests.forEach((name, c) ->
                out.printf(Locale.ROOT, "%-10s %10d %8d%n", name, c.succeeded.get(), c.failed.get()));
        out.println();
        int kindWidth = width("FAULT", faults.stream().map(f -> f.kind().name()).toList());
        int serviceWidth = width("SERVICE", faults.stream().map(FaultLedger.Fault::service).toList());
        out.printf(Locale.ROOT, "%-" + kindWidth + "s %-" + serviceWidth + "s %8s %9s  %s%n", "FAULT", "SERVICE", "AT",
                "DETECTED", "HOW");
        for (FaultLedger.Fault f : faults)
            out.printf(Locale.ROOT, "%-" + kindWidth + "s %-" + serviceWidth + "s %7.2fs %9s  %s%n", f.kind(), f.service(),
                    f.injectedAtMillis() / 1e3,
                    f.detected() ? String.format(Locale.ROOT, "%.2fs", f.detectedAtMillis() / 1e3) : "NO",
                    oneLine(f.detected() ? f.detection() : f.how()));
        out.println();
        out.printf(Locale.ROOT, "%-5s %-9s %6s %7s %7s  %s%n", "CTID", "STATE", "PARENT", "HOLDER", "MEMBERS", "SERVICE");
        for (ContractTree.Node n : contracts) {
            ContractStatus s = n.status();
            out.printf(Locale.ROOT, "%-5d %-9s %6s %7d %7d  %s%n", s.id(), s.state(),
                    n.parent() == 0 ? "-" : Integer.toString(n.parent()), s.ownerId(), s.members().size(),
                    s.serviceIdentity() == null ? "" : s.serviceIdentity());
        }
    }

    /** The width of a column: its header's or its widest cell's. */
    private static int width(String header, List<String> cells) {
        int w = header.length();
        for (String c : cells) w = Math.max(w, c.length());
        return w;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ');
    }
}
