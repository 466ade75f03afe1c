package io.jcontract;

import io.jcontract.internal.ContractImpl;
import io.jcontract.internal.ContractTable;
import io.jcontract.internal.Handles;
import io.jcontract.internal.Member;

import java.util.List;

/**
 * Entry points to the contract table, seen from the calling thread.
 *
 * <p>Every thread is in exactly one contract. Threads that jcontract did not
 * start (main, a pool's workers) are in the root contract, id 1, which
 * nobody holds and which cannot be killed.
 */
public final class Contracts {
    private static final ContractTable T = ContractTable.TABLE;

    private Contracts() {
    }

    /**
     * The control handle of the last contract the calling thread created
     * (illumos {@code ct_tmpl_latest}).
     *
     * @throws NoSuchContractException if it created none
     */
    public static Contract latest() {
        Member me = T.current();
        ContractImpl c = Handles.latestOf(me);
        if (c == null) throw new NoSuchContractException("thread " + me.id() + " has created no contract");
        return Handles.control(c, me);
    }

    /** A view of the calling thread's (or running task's) own contract. */
    public static ContractView current() {
        return Handles.view(T.current().contract());
    }

    /**
     * A view of the live contract {@code id}.
     *
     * @throws NoSuchContractException if no live contract has that id
     */
    public static ContractView lookup(int id) {
        return Handles.view(T.lookup(id));
    }

    /** The ids of every live contract, ascending. */
    public static List<Integer> ids() {
        return T.liveContracts().stream().map(ContractImpl::id).toList();
    }

    /** A listener on the bundle: the events of every process contract, from now on. */
    public static EventListener bundle() {
        return T.bundle().listen(false);
    }

    /** A listener on the calling thread's owner queue: the events of every contract it holds. */
    public static EventListener ownerEvents() {
        return Handles.ownerQueue(T.current()).listen(false);
    }

    /** Counts over the whole table (live contracts, members, listeners, kept events). */
    public static TableStats stats() {
        return T.stats();
    }

    /**
     * Sets the limit on live contracts per owner identity (illumos'
     * {@code project.max-contracts}); a fork that would pass it fails with
     * {@link ContractLimitException}. Default 10,000, or the system property
     * {@code jcontract.maxContracts}.
     *
     * @throws InvalidArgumentException if {@code limit} is not positive
     */
    public static void setContractLimit(int limit) {
        T.setLimit(limit);
    }
}
