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
        if (!c.isHeldBy(me))
            throw new ContractPermissionException(ContractError.EACCES,
                    "transfer term: contract " + id + " is not held by the caller");
        int[] counts = c.counts();
        if (counts[0] + counts[1] != 0)
            throw new NotEmptyException("transfer term: contract " + id + " still has "
                    + counts[0] + " members and " + counts[1] + " pending tasks");
        return id;
    }

    /** Freezes template terms into an immutable copy, holding the transfer term's contract. */
    public static Terms terms(int informative, int critical, int fatal, int params, long cookie, int transfer,
                        String identity, String aux) {
        ContractImpl sub = null;
        if (transfer != 0) {
            sub = T.find(transfer);
            if (sub == null)
                throw new NoSuchContractException("transfer term: contract " + transfer + " is gone");
        }
        return new Terms(informative, critical, fatal, params, cookie, sub, identity, aux);
    }

    public static ContractTemplate.Activation activate(Terms t) {
        Member me = T.current();
        Terms previous = me.active;
        me.active = t;
        Thread owner = Thread.currentThread();
        return new ContractTemplate.Activation() {
            private boolean closed;

            @Override
            public void close() {
                if (Thread.currentThread() != owner)
                    throw new IllegalStateException("a template activation is closed by the thread that made it ("
                            + owner.getName() + "), not " + Thread.currentThread().getName());
                if (closed) return;
                closed = true;
                T.current().active = previous;
            }
        };
    }
}
