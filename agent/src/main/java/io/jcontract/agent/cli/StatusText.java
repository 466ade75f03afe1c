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

    static void detail(PrintStream out, ContractInfo c) {
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
                for (int i = 0; i < Math.min(4, s.getStack().length); i++) line(out, "", "    at " + s.getStack()[i]);
            }
        }
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("%s%-23s%s%n", INDENT, label.isEmpty() ? "" : label + ":", value);
    }

    private static String set(String[] names) {
        if (names == null || names.length == 0) return "none";
        return Arrays.stream(names).map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.joining(" "));
    }
}
