package io.jcontract.example.appserver;

import io.jcontract.ContractEvent;
import io.jcontract.KillReport;
import io.jcontract.restarter.RestarterEvent;
import io.jcontract.restarter.ServiceState;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The live event log, like {@code ctwatch} plus {@code svcs} state changes:
 * one line per restarter event, injection and progress report, each
 * stamped with the time since the demo started.
 *
 * <p>Repeats are collapsed: a service's line that has the same shape (its
 * text with every number replaced) as one the same service printed in its
 * current burst (lines less than {@link #BURST_GAP_NANOS} apart) is counted,
 * not printed. The count is printed as one line ("(17 more lines like the
 * ones above in 0.01 s; restarts #2 to #4)") before the line that ends the
 * burst (a state change to anything but STARTING or ONLINE), before any
 * line once the burst is over, and by {@link #flushRepeats()}. A new line
 * inside the burst is printed at once and does not end it (the steps of
 * one restart race with the next crash, so a cycle's lines do not always
 * come in the same order). So a crash loop reads as one cycle, one count
 * and its end, not 25 lines at one timestamp.
 *
 * <p>Used as a restarter listener (called on the restarter thread with no
 * lock held) and by the demo's own threads; the burst bookkeeping is
 * guarded by this object's monitor, which is held only while formatting
 * and printing (the stream's own lock keeps lines whole). No kernel code
 * runs under it.
 */
final class EventLog {
    /** Lines of one service closer than this belong to one burst. */
    static final long BURST_GAP_NANOS = 1_000_000_000L;
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    /** The {@code restart} argument of a line that ends its service's burst. */
    private static final int ENDS_BURST = -2;

    /** A service's current burst. Guarded by the log's monitor. */
    private static final class Burst {
        final Set<String> shapes = new HashSet<>();
        long lastNanos;
        int suppressed;
        long firstSuppressedNanos, lastSuppressedNanos;
        int firstRestart = -1, lastRestart = -1;
    }

    private final PrintStream out;
    private final long t0;
    // guarded by this
    private final Map<String, Burst> bursts = new HashMap<>();
    private long lastPrintedNanos;

    EventLog(PrintStream out, long t0Nanos) {
        this.out = out;
        this.t0 = t0Nanos;
    }

    void onEvent(RestarterEvent event) {
        switch (event) {
            case RestarterEvent.StateChanged s -> service(s.service(), "state", "%s -> %s  (%s)",
                    s.to() == ServiceState.STARTING || s.to() == ServiceState.ONLINE ? -1 : ENDS_BURST,
                    s.from(), s.to(), shortReason(s.reason()));
            case RestarterEvent.ContractEventHandled h -> service(h.service(), "event", "ct %d %s member %d%s -> %s", -1,
                    h.event().contractId(), h.event().type(), h.event().member(), cause(h.event()), h.action());
            case RestarterEvent.ServiceKilled k -> service(k.service(), "kill", "%s", -1, report(k.report()));
            case RestarterEvent.ServiceRestarting r -> service(r.service(), "restart", "restart #%d after %s",
                    r.restarts(), r.restarts(), r.reason());
            case RestarterEvent.Escalated e -> service(e.service(), "escalate", "%s", ENDS_BURST, e.reason());
            case RestarterEvent.RestarterRestarted r -> line("restarter", "generation %d adopted contracts %s",
                    r.generation(), r.adopted());
        }
    }

    /** A line of the demo's own (injections, load, shutdown); prints the counts of bursts that are over first. */
    synchronized void line(String tag, String format, Object... args) {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<String, Burst>> it = bursts.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Burst> e = it.next();
            if (now - e.getValue().lastNanos > BURST_GAP_NANOS) {
                printRepeats(e.getKey(), e.getValue());
                it.remove();
            }
        }
        print(now, tag, String.format(Locale.ROOT, format, args));
    }

    /** Prints every pending count of collapsed lines (at the end of the run, before the tables). */
    synchronized void flushRepeats() {
        bursts.forEach(this::printRepeats);
        bursts.clear();
    }

    /**
     * A line about one service, collapsed if it repeats the shape of one in
     * the service's current burst. {@code restart} is the restart's number
     * for a restart line, {@link #ENDS_BURST} for a line after which the
     * burst's count must not come, else -1.
     */
    private synchronized void service(String service, String tag, String format, int restart, Object... args) {
        long now = System.nanoTime();
        String text = String.format(Locale.ROOT, format, args);
        Burst b = bursts.get(service);
        if (b == null || now - b.lastNanos > BURST_GAP_NANOS) {
            if (b != null) printRepeats(service, b);
            b = new Burst();
            bursts.put(service, b);
        }
        b.lastNanos = now;
        if (!b.shapes.add(tag + ' ' + NUMBER.matcher(text).replaceAll("#"))) {
            if (b.suppressed++ == 0) b.firstSuppressedNanos = now;
            b.lastSuppressedNanos = now;
            if (restart >= 0) {
                if (b.firstRestart < 0) b.firstRestart = restart;
                b.lastRestart = restart;
            }
            return;
        }
        if (restart == ENDS_BURST) printRepeats(service, b);
        print(now, tag, String.format(Locale.ROOT, "%-32s %s", service, text));
    }

    private void printRepeats(String service, Burst b) {
        if (b.suppressed == 0) return;
        String restarts = b.firstRestart < 0 ? ""
                : b.firstRestart == b.lastRestart ? "; restart #" + b.firstRestart
                : "; restarts #" + b.firstRestart + " to #" + b.lastRestart;
        // stamped when the last repeat came, but never before a line already printed: the log stays in time order
        print(Math.max(b.lastSuppressedNanos, lastPrintedNanos), "repeat", String.format(Locale.ROOT,
                "%-32s (%d more line%s like the ones above in %.2f s%s)", service, b.suppressed,
                b.suppressed == 1 ? "" : "s", (b.lastSuppressedNanos - b.firstSuppressedNanos) / 1e9, restarts));
        b.suppressed = 0;
        b.firstRestart = b.lastRestart = -1;
    }

    private void print(long nanos, String tag, String text) {
        lastPrintedNanos = nanos;
        out.println(String.format(Locale.ROOT, "[%6.2fs] %-9s ", (nanos - t0) / 1e9, tag) + text);
    }

    /** An ONLINE reason "ready; restart after …" repeats the STARTING line just above: "ready" says it. */
    private static String shortReason(String reason) {
        return reason.startsWith("ready; ") ? "ready" : reason;
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
