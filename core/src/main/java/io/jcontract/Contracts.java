package io.jcontract;

import io.jcontract.internal.ContractImpl;
import io.jcontract.internal.ContractTable;
import io.jcontract.internal.Credentials;
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

    /**
     * A listener on the bundle: the events of every process contract from
     * now on, or, for a thread without {@link Privilege#CONTRACT_OBSERVER},
     * of the contracts created by its own identity.
     */
    public static EventListener bundle() {
        return Handles.bundle(T.current());
    }

    /**
     * Adopts the inherited contract {@code id}: the caller, a member of the
     * regent that holds it, becomes its holder, and the contract's
     * unacknowledged critical events are added to the caller's owner queue.
     *
     * @return the caller's control handle
     * @throws NoSuchContractException if no live contract has that id
     * @throws ContractBusyException if it is already held (another adopter won)
     * @throws InvalidArgumentException if it is an orphan or dead
     * @throws ContractPermissionException ({@code EACCES}) if the caller is not a member of its regent
     */
    public static Contract adopt(int id) {
        return Handles.adopt(id);
    }

    /**
     * Makes the calling member the leader of a new member group (like
     * {@code setpgid(0, 0)}); the threads and tasks it starts from now on
     * inherit the group. A fatal event in a {@link Param#PGRPONLY}
     * contract kills only the offender's group.
     *
     * @return the new group's id (the caller's member id)
     */
    public static long newMemberGroup() {
        Member me = T.current();
        me.newGroup();
        return me.group();
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
     * @throws ContractPermissionException ({@code EPERM}) without the {@link Privilege#SYS_RESOURCE} privilege
     * @throws InvalidArgumentException if {@code limit} is not positive
     */
    public static void setContractLimit(int limit) {
        Credentials.require(Privilege.SYS_RESOURCE, "set the contract limit");
        T.setLimit(limit);
    }
}
