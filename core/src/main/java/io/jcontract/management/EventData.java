package io.jcontract.management;

import io.jcontract.ContractEvent;

import java.util.ArrayList;
import java.util.List;

import javax.management.ConstructorParameters;

/**
 * A contract event as {@link ContractsMXBean#pollWatch} hands it out (the
 * line {@code ctwatch} prints); an open type (CompositeData). The summary
 * and details are made here, in the watched JVM, so that any JMX client
 * shows the same text without jcontract on its class path.
 */
public final class EventData {
    private final long id;
    private final int contractId;
    private final String type;
    private final boolean critical;
    private final boolean acked;
    private final long member;
    private final String summary;
    private final String[] details;

    @ConstructorParameters({"id", "contractId", "type", "critical", "acked", "member", "summary", "details"})
    public EventData(long id, int contractId, String type, boolean critical, boolean acked, long member,
                     String summary, String[] details) {
        this.id = id;
        this.contractId = contractId;
        this.type = type;
        this.critical = critical;
        this.acked = acked;
        this.member = member;
        this.summary = summary;
        this.details = details.clone();
    }

    /**
     * The event as data, with its summary and details; {@code acked} as {@link #isAcked()}.
     */
    public static EventData of(ContractEvent e, boolean acked) {
        List<String> details = new ArrayList<>();
        String summary = switch (e) {
            case ContractEvent.Empty x -> "contract empty (last member " + who(x.member()) + ")";
            case ContractEvent.Fork x -> who(x.member()) + " was created by " + who(x.parent());
            case ContractEvent.Exit x -> {
                cause(details, x.cause());
                yield who(x.member()) + " exited with status " + x.status()
                        + (x.killed() ? " (killed)" : "") + (x.cause() == null ? "" : " (" + x.cause() + ")");
            }
            case ContractEvent.Core x -> {
                cause(details, x.cause());
                if (x.postMortem() != null) details.add("post-mortem: " + x.postMortem());
                yield who(x.member()) + " died of " + x.cause();
            }
            case ContractEvent.Signal x -> {
                cause(details, x.cause());
                yield who(x.member()) + " died of an interrupt from thread " + x.sender()
                        + (x.senderContract() == 0 ? "" : " (contract " + x.senderContract() + ")");
            }
            case ContractEvent.HwErr x -> {
                cause(details, x.error());
                yield who(x.member()) + " encountered " + x.error();
            }
        };
        return new EventData(e.id(), e.contractId(), e.type().name(), e.critical(), acked, e.member(), summary,
                details.toArray(String[]::new));
    }

    /** "thread N" or "task N": pooled tasks have ids from {@link ContractEvent#TASK_ID_BASE} up. */
    static String who(long member) {
        return (member >= ContractEvent.TASK_ID_BASE ? "task " : "thread ") + member;
    }

    private static void cause(List<String> details, Throwable t) {
        if (t == null) return;
        details.add("cause: " + t);
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(st.length, 5); i++) details.add("    at " + st[i]);
    }

    /** Event id. */
    public long getId() { return id; }

    /** The contract it happened in. */
    public int getContractId() { return contractId; }

    /** EMPTY, FORK, EXIT, CORE, SIGNAL or HWERR. */
    public String getType() { return type; }

    /** Whether it was critical when published (else informative). */
    public boolean isCritical() { return critical; }

    /**
     * Whether this critical event had been acknowledged when it was read
     * (orphaning and death acknowledge all); always false for an informative
     * event.
     */
    public boolean isAcked() { return acked; }

    /** The member it is about. */
    public long getMember() { return member; }

    /** One line, as {@code ctwatch} shows it. */
    public String getSummary() { return summary; }

    /** More lines for {@code ctwatch -v}: the cause and the top of its stack, the post-mortem file. */
    public String[] getDetails() { return details.clone(); }
}
