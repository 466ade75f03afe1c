package io.jcontract.internal;

/**
 * The members of one contract: the list a kill and a status walk, and the
 * two counts that say whether the contract is empty (illumos keeps the
 * member list with the contract, while fork and exit live in process.c;
 * here {@link ContractImpl} does fork and exit and this class keeps the
 * list).
 *
 * <h2>Theory of operation</h2>
 * A doubly linked list of the RUNNING members and PENDING tasks, newest
 * first, with {@code running} and {@code pending} counting each kind. Every
 * field here, and every listed member's {@code prev}, {@code next} and
 * {@code state}, is guarded by the owning contract's lock: every method is
 * called with it held (lock order: {@link io.jcontract.internal the package
 * documentation}). Nothing here calls out.
 *
 * <p>Invariants, under the contract's lock: {@code running} is the number of
 * RUNNING members in the list and {@code pending} the number of PENDING
 * ones; a member that left is GONE, in no list, with null links, so the list
 * never grows with exited members. The contract is empty when both counts
 * are zero.
 */
final class Membership {
    private Member head;
    private int running, pending;

    /** Lists a member that runs now (a thread, an owned pool's worker). */
    void addRunning(Member m) {
        link(m);
        running++;
    }

    /** Lists a task handed to an executor that has not started yet. */
    void addPending(Member m) {
        link(m);
        pending++;
    }

    /** A listed pending task starts running. */
    void started(Member m) {
        m.state = Member.RUNNING;
        pending--;
        running++;
    }

    /** A running member leaves: it is GONE and unlinked. */
    void removeRunning(Member m) {
        unlink(m);
        running--;
    }

    /** A pending task leaves without having run: it is GONE and unlinked. */
    void removePending(Member m) {
        unlink(m);
        pending--;
    }

    boolean isEmpty() {
        return running + pending == 0;
    }

    int running() {
        return running;
    }

    int pending() {
        return pending;
    }

    /** The newest member, for walks (a walk that removes members reads {@code next} first); null if empty. */
    Member head() {
        return head;
    }

    private void link(Member m) {
        m.next = head;
        if (head != null) head.prev = m;
        head = m;
    }

    private void unlink(Member m) {
        if (m.prev != null) m.prev.next = m.next;
        else head = m.next;
        if (m.next != null) m.next.prev = m.prev;
        m.prev = m.next = null;
        m.state = Member.GONE;
    }
}
