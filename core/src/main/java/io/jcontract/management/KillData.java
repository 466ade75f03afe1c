package io.jcontract.management;

import io.jcontract.KillReport;

import javax.management.ConstructorParameters;

/** The outcome of a kill ({@link KillReport}) as an open type (CompositeData). */
public final class KillData {
    private final int contractId;
    private final boolean empty;
    private final long elapsedNanos;
    private final StragglerData[] stragglers;

    @ConstructorParameters({"contractId", "empty", "elapsedNanos", "stragglers"})
    public KillData(int contractId, boolean empty, long elapsedNanos, StragglerData[] stragglers) {
        this.contractId = contractId;
        this.empty = empty;
        this.elapsedNanos = elapsedNanos;
        this.stragglers = stragglers.clone();
    }

    static KillData of(KillReport r) {
        if (r == null) return null;
        StragglerData[] s = new StragglerData[r.stragglers().size()];
        for (int i = 0; i < s.length; i++) {
            KillReport.Straggler st = r.stragglers().get(i);
            s[i] = new StragglerData(st.member(), st.name(),
                    st.stack().stream().map(StackTraceElement::toString).toArray(String[]::new));
        }
        return new KillData(r.contractId(), r.empty(), r.elapsed().toNanos(), s);
    }

    /** The killed contract. */
    public int getContractId() { return contractId; }

    /** Whether no member was left when the wait ended. */
    public boolean isEmpty() { return empty; }

    /** Time from the kill to the end of the wait, in nanoseconds. */
    public long getElapsedNanos() { return elapsedNanos; }

    /** Members alive when the wait ended, with their stacks. */
    public StragglerData[] getStragglers() { return stragglers.clone(); }

    /** A member that outlived the wait. */
    public static final class StragglerData {
        private final long member;
        private final String name;
        private final String[] stack;

        @ConstructorParameters({"member", "name", "stack"})
        public StragglerData(long member, String name, String[] stack) {
            this.member = member;
            this.name = name;
            this.stack = stack.clone();
        }

        /** Member id. */
        public long getMember() { return member; }

        /** Thread name. */
        public String getName() { return name; }

        /** Where it was when the wait ended, one frame a line. */
        public String[] getStack() { return stack.clone(); }
    }
}
