package io.jcontract.bench;

/** The trivial main of benchmark 6: the JVM starts, loads this class, and exits. */
public final class Trivial {
    private Trivial() {
    }

    public static void main(String[] args) {
        // nothing: what is measured is the JVM's (and the agent's) start and exit
    }
}
