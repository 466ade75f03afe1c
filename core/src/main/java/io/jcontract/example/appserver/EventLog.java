package io.jcontract.example.appserver;

import io.jcontract.ContractEvent;
import io.jcontract.KillReport;
import io.jcontract.restarter.RestarterEvent;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The live event log, like {@code ctwatch} plus {@code svcs} state changes:
 * one line per restarter event, injection and progress report, each
 * stamped with the time since the demo started.
 *
 * <p>Used as a restarter listener, so it is called on the restarter thread
 * with no lock held; it only formats and prints (the stream's own lock keeps
 * lines whole).
 */
final class EventLog {
    private final PrintStream out;
    private final long t0;

    EventLog(PrintStream out, long t0Nanos) {
        this.out = out;
        this.t0 = t0Nanos;
    }

    void onEvent(RestarterEvent event) {
        switch (event) {
            case RestarterEvent.StateChanged s ->
                    line("state", "%-32s %s -> %s  (%s)", s.service(), s.from(), s.to(), s.reason());
            case RestarterEvent.ContractEventHandled h -> line("event", "%-32s ct %d %s member %d%s -> %s",
                    h.service(), h.event().contractId(), h.event().type(), h.event().member(), cause(h.event()), h.action());
            case RestarterEvent.ServiceKilled k -> line("kill", "%-32s %s", k.service(), report(k.report()));
            case RestarterEvent.ServiceRestarting r -> line("restart", "%-32s restart #%d after %s",
                    r.service(), r.restarts(), r.reason());
            case RestarterEvent.Escalated e -> line("escalate", "%-32s %s", e.service(), e.reason());
            case RestarterEvent.RestarterRestarted r -> line("restarter", "generation %d adopted contracts %s",
                    r.generation(), r.adopted());
        }
    }

    /** A line of the demo's own (injections, load, shutdown). */
    void line(String tag, String format, Object... args) {
        double secs = (System.nanoTime() - t0) / 1e9;
        out.println(String.format(Locale.ROOT, "[%6.2fs] %-9s ", secs, tag) + String.format(Locale.ROOT, format, args));
    }

    private static String cause(ContractEvent e) {
        Throwable t = switch (e) {
            case ContractEvent.Core c -> c.cause();
            case ContractEvent.HwErr h -> h.error();
            case ContractEvent.Signal s -> s.cause();
            default -> null;
        };
        String from = e instanceof ContractEvent.Signal s ? " (interrupted by thread " + s.sender() + ")" : "";
        return t == null ? from : from + ": " + t;
    }

    private static String report(KillReport r) {
        if (r.empty()) return "ct " + r.contractId() + " killed, empty after " + r.elapsed().toMillis() + " ms";
        StringBuilder b = new StringBuilder("ct " + r.contractId() + " killed, NOT empty after "
                + r.elapsed().toMillis() + " ms; stragglers:");
        for (KillReport.Straggler s : r.stragglers()) {
            b.append(" member ").append(s.member()).append(" \"").append(s.name()).append('"');
            if (!s.stack().isEmpty()) b.append(" at ").append(topFrame(s));
        }
        return b.append(" (given up; it dies with its last member)").toString();
    }

    /** The first frame outside the JDK's own waiting code: where the straggler is stuck. */
    private static StackTraceElement topFrame(KillReport.Straggler s) {
        for (StackTraceElement f : s.stack())
            if (!f.getClassName().startsWith("java.") && !f.getClassName().startsWith("jdk.")) return f;
        return s.stack().getFirst();
    }
}
