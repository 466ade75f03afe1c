package io.jcontract.agent.cli;

import io.jcontract.management.EventData;
import io.jcontract.management.WatchBatch;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ctwatch}: the events of a running JVM's contracts as they happen,
 * one line each, as ctwatch(1) prints them. It opens a watch in the target
 * (a server-side listener with a cursor, see the MXBean's
 * {@code openWatch}), polls it and closes it on the way out; a watch left
 * behind by a killed ctwatch is closed by the target after an idle timeout.
 * Runs until interrupted, until {@code -n} events were shown, or until
 * every contract watched is gone. Exit status 0, 1 when the target cannot
 * be reached or refuses the watch, 2 for a usage error.
 */
final class CtWatch {
    static final String USAGE = """
            Usage: ctwatch [-f] [-r] [-v] [-n count] [-w seconds] pid [process | ctid...]
              Shows the events of the process contracts of the Java VM with process id pid:
              of every contract (no operand, or "process"), or of the contracts ctid... It runs until
              interrupted, until count events were shown, until the contracts watched are gone, or
              until -w's time is up (options may also follow pid).
              -f         start at the head of the queues: events still queued are shown too
              -r         reliable: no informative event is dropped (needs contract_event in the target)
              -v         verbose: the cause of a death and the top of its stack, the post-mortem file
              -n count   stop after count events (jcontract addition); it waits as long as it takes, for
                         ever if no more events come: add -w
              -w seconds stop after seconds, however many events were shown (jcontract addition)
              --version  print the version
            Columns: CTID contract, EVID event id, CRIT crit or info, ACK yes if acknowledged when read,
              CTTYPE, SUMMARY.""";
    static final String HEADER = String.format("%-7s %-11s %-4s %-3s %-8s %s", "CTID", "EVID", "CRIT", "ACK",
            "CTTYPE", "SUMMARY");

    private CtWatch() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options o = Options.parseAnywhere(args, "frvn:w:");
        if (o.operands.isEmpty()) throw CliError.usage("no pid given");
        long limit = o.has("n") ? Options.number(o.last("n"), "count", 1, Long.MAX_VALUE) : Long.MAX_VALUE;
        long seconds = o.has("w") ? Options.number(o.last("w"), "time limit", 1, 31_536_000) : 0;
        List<Integer> ids = new ArrayList<>();
        for (String operand : o.operands.subList(1, o.operands.size())) {
            if (operand.equals("process")) continue;
            ids.add((int) Options.number(operand, "contract id or type", 1, Integer.MAX_VALUE));
        }
        boolean all = ids.isEmpty();
        try (TargetJvm jvm = TargetJvm.connect(o.operands.getFirst())) {
            long watch;
            try {
                watch = jvm.contracts.openWatch(ids.stream().mapToInt(Integer::intValue).toArray(), o.has("r"),
                        o.has("f"));
            } catch (RuntimeException e) {
                throw jvm.failure(e);
            }
            Thread closer = new Thread(() -> closeQuietly(jvm, watch), "ctwatch-close");
            Runtime.getRuntime().addShutdownHook(closer);
            try {
                out.println(HEADER);
                out.flush();
                long shown = 0, dropped = 0;
                long deadline = System.nanoTime() + seconds * 1_000_000_000L;
                while (shown < limit) {
                    long left = seconds == 0 ? 1_000 : (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        err.println("ctwatch: " + shown + (o.has("n") ? " of " + limit : "") + " events in " + seconds
                                + " s");
                        break;
                    }
                    WatchBatch batch;
                    try {
                        batch = jvm.contracts.pollWatch(watch, (int) Math.min(256, limit - shown), Math.min(1_000, left));
                    } catch (RuntimeException e) {
                        throw jvm.failure(e);
                    }
                    if (batch.getDropped() > dropped) {
                        err.println("ctwatch: " + (batch.getDropped() - dropped) + " informative event(s) dropped");
                        dropped = batch.getDropped();
                    }
                    for (EventData e : batch.getEvents()) {
                        out.printf("%-7d %-11d %-4s %-3s %-8s %s%n", e.getContractId(), e.getId(),
                                e.isCritical() ? "crit" : "info", e.isAcked() ? "yes" : "no", "process",
                                e.getSummary());
                        if (o.has("v")) for (String d : e.getDetails()) out.println("        " + d);
                        shown++;
                    }
                    out.flush();
                    if (batch.isEnded() && batch.getEvents().length == 0) {
                        if (!all) err.println("ctwatch: the contracts watched are gone");
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(jvm, watch);
                try {
                    Runtime.getRuntime().removeShutdownHook(closer);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs now
                }
            }
        }
        return 0;
    }

    private static void closeQuietly(TargetJvm jvm, long watch) {
        try {
            jvm.contracts.closeWatch(watch);
        } catch (RuntimeException alreadyClosedOrGone) {
            // closed by the other path, or the target is gone: nothing is left to release
        }
    }
}
