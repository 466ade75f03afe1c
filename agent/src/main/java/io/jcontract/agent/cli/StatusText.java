package io.jcontract.agent.cli;

import io.jcontract.management.ContractInfo;
import io.jcontract.management.KillData;
import io.jcontract.management.MemberData;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How {@code ctstat} prints a contract: a table row, and with {@code -v} the indented detail of ctstat(1). */
final class StatusText {
    static final String HEADER = String.format("%-7s %-8s %-10s %-10s %-7s %s",
            "CTID", "TYPE", "STATE", "HOLDER", "EVENTS", "MEMBERS");
    private static final String INDENT = "        ";

    private StatusText() {
    }

    static void row(PrintStream out, ContractInfo c) {
        int members = c.getMembers() == null ? 0 : c.getMembers().length;
        out.printf("%-7d %-8s %-10s %-10s %-7d %d%n", c.getId(), c.getType(),
                c.getState().toLowerCase(Locale.ROOT), holder(c), c.getUnackedEvents(), members);
    }

    /** The holder's member id; an inherited contract's regent as {@code ct:N}; {@code -} for nobody. */
    static String holder(ContractInfo c) {
        if (c.getRegent() != 0) return "ct:" + c.getRegent();
        return c.getHolder() == 0 ? "-" : String.valueOf(c.getHolder());
    }

    /** Frames of a straggler's stack shown by {@code -v} (and its first application frame below them). */
    static final int TOP_FRAMES = 4;

    static void detail(PrintStream out, ContractInfo c, boolean wholeStacks) {
        line(out, "cookie", "0x" + Long.toHexString(c.getCookie()));
        line(out, "informative event set", set(c.getInformative()));
        line(out, "critical event set", set(c.getCritical()));
        line(out, "fatal event set", set(c.getFatal()));
        line(out, "parameter set", set(c.getParams()));
        MemberData[] members = c.getMembers() == null ? new MemberData[0] : c.getMembers();
        if (members.length == 0) line(out, "member threads", "none");
        for (int i = 0; i < members.length; i++) {
            MemberData m = members[i];
            line(out, i == 0 ? "member threads" : "", (m.isTask() ? "task " : "") + m.getId() + " " + m.getName()
                    + (m.isVirtual() ? " (virtual)" : "") + " parent " + m.getParent() + (m.isKilled() ? " KILLED" : ""));
        }
        String[] owned = c.getOwned() == null ? new String[0] : c.getOwned();
        if (owned.length == 0) line(out, "owned resources", "none");
        for (int i = 0; i < owned.length; i++) line(out, i == 0 ? "owned resources" : "", owned[i]);
        int[] inherited = c.getInherited();
        line(out, "inherited contracts", inherited == null || inherited.length == 0 ? "none"
                : Arrays.stream(inherited).mapToObj(String::valueOf).collect(Collectors.joining(" ")));
        line(out, "service identity", c.getServiceIdentity() == null ? "none" : c.getServiceIdentity());
        line(out, "service identity ctid", String.valueOf(c.getServiceContractId()));
        line(out, "creator", c.getCreatorId() == null ? "-" : c.getCreatorId() + " " + c.getCreatorName());
        line(out, "creator aux", c.getCreatorAux() == null ? "" : c.getCreatorAux());
        line(out, "pending tasks", String.valueOf(c.getPendingTasks()));
        line(out, "events dropped", String.valueOf(c.getEventsDropped()));
        KillData k = c.getLastKill();
        if (k == null) {
            line(out, "last kill", "none");
        } else {
            String took = String.format(Locale.ROOT, "%.1f ms", k.getElapsedNanos() / 1e6);
            line(out, "last kill", k.isEmpty() ? "emptied after " + took
                    : k.getStragglers().length + " straggler(s) alive after " + took);
            for (KillData.StragglerData s : k.getStragglers()) {
                line(out, "", "straggler " + s.getMember() + " " + s.getName());
                stack(out, s.getStack(), wholeStacks);
            }
        }
    }

    /**
     * The top of a stack, and the first application frame (not the JDK's, not jcontract's hooks) if
     * it is further down; the whole stack when asked.
     */
    static void stack(PrintStream out, String[] frames, boolean whole) {
        int shown = whole ? frames.length : Math.min(TOP_FRAMES, frames.length);
        for (int i = 0; i < shown; i++) line(out, "", "    at " + frames[i]);
        if (shown == frames.length) return;
        int app = -1;
        for (int i = 0; i < frames.length && app < 0; i++) if (application(frames[i])) app = i;
        if (app >= shown) {
            if (app > shown) line(out, "", "    ... " + (app - shown) + " more");
            line(out, "", "    at " + frames[app]);
            shown = app + 1;
        }
        if (shown < frames.length)
            line(out, "", "    ... " + (frames.length - shown) + " more (-vv for the whole stack)");
    }

    /** Whether a frame ({@link StackTraceElement#toString()}) is the application's: not the JDK's or the agent's. */
    static boolean application(String frame) {
        String f = frame.substring(frame.indexOf('/') < 0 || frame.indexOf('(') < frame.indexOf('/') ? 0
                : frame.lastIndexOf('/', frame.indexOf('(')) + 1);
        for (String jdk : new String[] {"java.", "javax.", "jdk.", "sun.", "com.sun.", "io.jcontract.agent.boot."})
            if (f.startsWith(jdk)) return false;
        return true;
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("%s%-23s%s%n", INDENT, label.isEmpty() ? "" : label + ":", value);
    }

    private static String set(String[] names) {
        if (names == null || names.length == 0) return "none";
        return Arrays.stream(names).map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.joining(" "));
    }
}
