package io.jcontract.internal;

import io.jcontract.ContractError;
import io.jcontract.ContractPermissionException;
import io.jcontract.ContractTemplate;
import io.jcontract.NoSuchContractException;
import io.jcontract.NotEmptyException;

/**
 * The template side of the table: checking a transfer term against the
 * contract it names, freezing terms, and activating them on a thread.
 */
public final class Templates {
    private static final ContractTable T = ContractTable.TABLE;

    private Templates() {
    }

    /** Checks the transfer term's rules (illumos {@code CTPP_SUBSUME}); returns the id. */
    public static int checkTransfer(int id) {
        ContractImpl c = T.find(id);
        if (c == null) throw new NoSuchContractException("transfer term: no live contract has id " + id);
        Member me = T.current();
        if (!c.succession.isHeldBy(me))
            throw new ContractPermissionException(ContractError.EACCES,
                    "transfer term: contract " + id + " is not held by the caller");
        int[] counts = c.counts();
        if (counts[0] + counts[1] != 0)
            throw new NotEmptyException("transfer term: contract " + id + " still has "
                    + counts[0] + " members and " + counts[1] + " pending tasks");
        return id;
    }

    /** Freezes template terms into an immutable copy; the transfer term's contract must be live. */
    public static Terms terms(int informative, int critical, int fatal, int params, long cookie, int transfer,
                        String identity, String aux) {
        if (transfer != 0 && T.find(transfer) == null)
            throw new NoSuchContractException("transfer term: contract " + transfer + " is gone");
        return new Terms(informative, critical, fatal, params, cookie, transfer, identity, aux);
    }

    /**
     * Makes {@code t} the calling member's active template. Activations nest
     * like try-with-resources blocks: the member keeps its innermost open
     * one ({@code Member.activation}), each remembers the one outside it,
     * and only the innermost may be closed.
     */
    public static ContractTemplate.Activation activate(Terms t) {
        Member me = T.current();
        Nested a = new Nested(me, Thread.currentThread(), me.active, (Nested) me.activation(), t);
        me.active = t;
        me.activation(a);
        return a;
    }

    /** One activation; everything here belongs to the activating member's thread. */
    private static final class Nested implements ContractTemplate.Activation {
        private final Member me;
        private final Thread owner;
        private final Terms previous;
        private final Nested outer;
        private final Terms terms;
        private boolean closed;

        Nested(Member me, Thread owner, Terms previous, Nested outer, Terms terms) {
            this.me = me;
            this.owner = owner;
            this.previous = previous;
            this.outer = outer;
            this.terms = terms;
        }

        @Override
        public void close() {
            if (Thread.currentThread() != owner)
                throw new IllegalStateException("a template activation is closed by the thread that made it ("
                        + owner.getName() + "), not " + Thread.currentThread().getName());
            if (closed) return;
            if (me.activation() != this)
                throw new IllegalStateException("template activations are closed in reverse order: this one (cookie "
                        + terms.cookie() + ") was made before one that is still open (cookie "
                        + ((Nested) me.activation()).terms.cookie() + "); close that one first (try-with-resources does)");
            closed = true;
            me.active = previous;
            me.activation(outer);
        }
    }
}
