package io.jcontract.agent.cli;

import io.jcontract.management.ContractInfo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ctstat}: the contract table of a running JVM, as ctstat(1) shows
 * a system's. Without {@code -i}, every live contract ({@code -a}: and the
 * dead ones still referenced); with {@code -i}, the contracts named, live or
 * dead. {@code interval [count]} repeats the report. Exit status 0, 1 when
 * a contract named with {@code -i} does not exist or the target cannot be
 * reached, 2 for a usage error.
 */
final class CtStat {
    static final String USAGE = """
            Usage: ctstat [-a] [-v|-vv] [-i ctid,...] [-t type,...] pid [interval [count]]
              Shows the process contracts of the Java VM with process id pid (options may also follow pid).
              -a         include dead contracts that are still referenced
              -v         verbose: terms, members, owned resources, inherited contracts, creator, identity,
                         last kill (with each straggler's top frames and its first application frame)
              -vv        as -v, with each straggler's whole stack
              --version  print the version
              -i ids     only these contracts (commas or spaces between ids; repeatable)
              -t types   only these contract types (only "process" exists)
              interval   report again every interval seconds, count times (default: until killed)
            Columns: CTID id, TYPE, STATE (owned, inherited, orphan, dead), HOLDER (holder's member id,
              ct:N for the regent holding an inherited contract, - for none), EVENTS (unacknowledged
              critical events), MEMBERS (running members).""";

    private CtStat() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        Options o = Options.parseAnywhere(args, "avi:t:");
        for (String type : Options.items(o.all("t")))
            if (!type.equals("process")) throw CliError.usage("unknown contract type '" + type + "' (known: process)");
        List<Integer> ids = new ArrayList<>();
        for (String id : Options.items(o.all("i"))) ids.add((int) Options.number(id, "contract id", 1, Integer.MAX_VALUE));
        if (o.operands.isEmpty()) throw CliError.usage("no pid given");
        if (o.operands.size() > 3) throw CliError.usage("too many operands: " + o.operands);
        long interval = o.operands.size() > 1 ? Options.number(o.operands.get(1), "interval", 1, 86_400) : 0;
        long count = o.operands.size() > 2 ? Options.number(o.operands.get(2), "count", 1, Long.MAX_VALUE)
                : interval > 0 ? Long.MAX_VALUE : 1;
        int verbose = o.count("v");
        String detail = "ALL";
        int status = 0;
        try (TargetJvm jvm = TargetJvm.connect(o.operands.getFirst())) {
            for (long report = 0; report < count; report++) {
                if (report > 0) Thread.sleep(interval * 1000);
                List<ContractInfo> shown = new ArrayList<>();
                try {
                    if (ids.isEmpty()) {
                        shown.addAll(List.of(jvm.contracts.table(detail, o.has("a"))));
                    } else {
                        for (int id : ids) {
                            try {
                                shown.add(jvm.contracts.statusAny(id, detail));
                            } catch (RuntimeException e) {
                                Throwable none = TargetJvm.find(e, io.jcontract.NoSuchContractException.class);
                                if (none == null) throw e;
                                err.println("ctstat: contract " + id + ": " + none.getMessage());
                                status = 1;
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    throw jvm.failure(e);
                }
                if (shown.isEmpty() && !ids.isEmpty()) continue;     // each -i id had its error: no empty table
                out.println(StatusText.HEADER);
                for (ContractInfo c : shown) {
                    StatusText.row(out, c);
                    if (verbose > 0) StatusText.detail(out, c, verbose > 1);
                }
                out.flush();
            }
        }
        return status;
    }
}
