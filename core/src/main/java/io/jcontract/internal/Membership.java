package io.jcontract.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The members of one contract: the list a kill and a status walk, and the
 * control word that counts the live members and says whether the contract
 * can still be joined (illumos keeps the member list with the contract,
 * while fork and exit live in process.c; here {@link ContractImpl} does fork
 * and exit and this class keeps the list and the word).
 *
 * <h2>Theory of operation</h2>
 * Fork and exit take no lock here: everything is moved by CAS.
 * <ul>
 * <li>{@code ctl}, one {@code long} moved only by CAS: the live count
 *     (RUNNING members and PENDING tasks, bits 0-28), the number of nodes
 *     in the list (bits 29-57), and the flags DEAD (nothing may join: set
 *     only at a live count of zero), ORPHAN (nothing may join at zero: the
 *     contract dies when it empties), KILLED (the contract was killed:
 *     owned pools' workers may no longer join) and PRUNING (one thread is
 *     unlinking GONE nodes). A join counts itself in ({@link #enter}) before
 *     it links its member; a leave counts itself out after the member's own
 *     CAS to GONE. The move of the live count from 1 to 0 is made only under
 *     the contract's lock ({@code ContractImpl.release}), so the one EMPTY
 *     of that emptying, the wake-up of {@code awaitEmpty} and an orphan's
 *     death happen in the same critical section.</li>
 * <li>{@code head}, moved only by CAS: a singly linked list of members,
 *     newest first. A join pushes its member at the head. Nodes are never
 *     re-linked; a member that left stays in the list (GONE) until the one
 *     pruner unlinks it. Walkers (kill, status, under the contract lock)
 *     skip GONE nodes and unlink nothing.</li>
 * <li>{@code next} of a listed member is written by its pusher before the
 *     push and afterwards only by the pruner; the pruner is the one thread
 *     that set PRUNING, chosen by the join whose CAS finds the list longer
 *     than {@code 2 * live + 32} nodes, so the list stays bounded by the live
 *     members and pruning costs O(1) per join, amortized.</li>
 * <li>{@code killSeq}, written only under the contract's lock: odd while a
 *     kill walks the list, even otherwise. A join reads it before checking
 *     its parent and after its push: unchanged and even means that no kill's
 *     walk can have missed the new member (a walk that read {@code head}
 *     before the push incremented it before that read); anything else sends
 *     the join to the contract lock to decide ({@code ContractImpl.forkRacedKill}).</li>
 * </ul>
 * A member's own {@code state} (PENDING, RUNNING, LEAVING_*, GONE) is moved
 * by CAS ({@link Member#casState}): exactly one of a kill's cancel, the
 * task's start, its cancel or its exit wins each step. A lock-free leave
 * goes to LEAVING_*, counts out, then writes GONE; so a GONE member is
 * counted out, and a walk that finds no member that is not GONE saw a live
 * count that is (or was about to be) zero. Exits may also choose the pruner
 * (the same rule as joins), and the move to zero prunes, so exited members
 * (and the threads they reference) are not kept reachable by the list.
 * Nothing here calls out.
 */
final class Membership {
    static final long LIVE1 = 1L, LIVE_MASK = (1L << 29) - 1;
    static final long LINK1 = 1L << 29, LINK_MASK = LIVE_MASK << 29;
    static final long DEAD = 1L << 58, ORPHAN = 1L << 59, KILLED = 1L << 60, PRUNING = 1L << 61;
    /** Never stored: in {@link #enter}'s answer, "you set PRUNING: prune after the push". */
    static final long YOU_PRUNE = 1L << 62;

    private static final VarHandle CTL, HEAD;

    static {
        try {
            var l = MethodHandles.lookup();
            CTL = l.findVarHandle(Membership.class, "ctl", long.class);
            HEAD = l.findVarHandle(Membership.class, "head", Member.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long ctl;
    private volatile Member head;
    /** Odd while a kill walks the list; written only under the contract's lock. */
    volatile int killSeq;

    static int live(long c) {
        return (int) (c & LIVE_MASK);
    }

    private static int linked(long c) {
        return (int) ((c & LINK_MASK) >>> 29);
    }

    long ctl() {
        return ctl;
    }

    int live() {
        return live(ctl);
    }

    boolean isEmpty() {
        return live(ctl) == 0;
    }

    /**
     * Counts one member in, unless the contract is DEAD, an ORPHAN at zero,
     * or (with {@code refuseKilled}) KILLED.
     *
     * @return the new control word, with {@link #YOU_PRUNE} if the caller must
     *         call {@link #prune} after its push; or -1 if refused
     */
    long enter(boolean refuseKilled) {
        for (;;) {
            long c = ctl;
            if ((c & DEAD) != 0 || ((c & ORPHAN) != 0 && live(c) == 0) || (refuseKilled && (c & KILLED) != 0))
                return -1;
            if (live(c) == LIVE_MASK) throw new IllegalStateException("too many members in one contract");
            long n = c + LIVE1 + LINK1;
            boolean prune = (c & PRUNING) == 0 && linked(n) > 2 * live(n) + 32;
            if (prune) n |= PRUNING;
            if (CTL.compareAndSet(this, c, n)) return prune ? n | YOU_PRUNE : n;
        }
    }

    /**
     * Counts {@code k} members out.
     *
     * @return the live count before
     */
    int leave(int k) {
        for (;;) {
            long c = ctl;
            if (live(c) < k) throw new IllegalStateException("member count below zero");
            if (CTL.compareAndSet(this, c, c - k * LIVE1)) return live(c);
        }
    }

    /**
     * Counts one member out only if others stay (the lock-free exit).
     *
     * @return 0 at a live count of one (nothing done), 1 if counted out, 2 if
     *         counted out and the caller must {@link #prune} (it set PRUNING)
     */
    int leaveIfNotLast() {
        for (;;) {
            long c = ctl;
            if (live(c) <= 1) return 0;
            long n = c - LIVE1;
            boolean prune = (c & PRUNING) == 0 && linked(n) > 2 * live(n) + 32;
            if (prune) n |= PRUNING;
            if (CTL.compareAndSet(this, c, n)) return prune ? 2 : 1;
        }
    }

    /** Prunes now unless another thread is pruning (used when the contract empties). */
    void tryPrune() {
        for (;;) {
            long c = ctl;
            if ((c & PRUNING) != 0) return;
            if (CTL.compareAndSet(this, c, c | PRUNING)) break;
        }
        prune();
    }

    /** Sets DEAD if nobody is counted in; false if somebody is (then it stays as it was). */
    boolean closeIfEmpty() {
        for (;;) {
            long c = ctl;
            if (live(c) != 0) return false;
            if (CTL.compareAndSet(this, c, c | DEAD)) return true;
        }
    }

    /** Sets ORPHAN if somebody is counted in; false if nobody is. */
    boolean orphanIfNotEmpty() {
        for (;;) {
            long c = ctl;
            if (live(c) == 0) return false;
            if (CTL.compareAndSet(this, c, c | ORPHAN)) return true;
        }
    }

    void setFlag(long flag) {
        CTL.getAndBitwiseOr(this, flag);
    }

    /** Links a member counted in by {@link #enter}. */
    void push(Member m) {
        for (;;) {
            Member h = head;
            m.next = h;
            if (HEAD.compareAndSet(this, h, m)) return;
        }
    }

    /**
     * Unlinks the GONE members (only the thread whose {@link #enter} said
     * {@link #YOU_PRUNE}), then clears PRUNING.
     */
    void prune() {
        int removed = 0;
        Member h = head;
        while (h != null && h.state == Member.GONE && HEAD.compareAndSet(this, h, h.next)) {
            removed++;
            h = h.next;
        }
        if (h != null) {
            Member prev = h;
            for (Member m = h.next; m != null; m = m.next) {
                if (m.state == Member.GONE) {
                    prev.next = m.next;
                    removed++;
                } else {
                    prev = m;
                }
            }
        }
        for (;;) {
            long c = ctl;
            if (CTL.compareAndSet(this, c, (c - removed * LINK1) & ~PRUNING)) return;
        }
    }

    /** The newest listed member, for walks that skip GONE ones; null if none. */
    Member head() {
        return head;
    }
}
