package io.jcontract.internal;

import io.jcontract.ContractBusyException;
import io.jcontract.ContractError;
import io.jcontract.ContractPermissionException;
import io.jcontract.ContractState;
import io.jcontract.InvalidArgumentException;
import io.jcontract.Param;

import java.util.ArrayList;
import java.util.List;

/**
 * A contract's succession: who holds it, and how it passes on (illumos
 * {@code contract.c}'s abandon, adopt and regent half): the holder gives it
 * up ({@link #abandon}), the holder ends and a regent inherits it
 * ({@link #ownerExited}), a member of the regent adopts it ({@link #adopt}),
 * the transfer term moves it to a successor ({@link #transferTo}), and with
 * no holder left it becomes an orphan or dies ({@link #giveUpLocked},
 * {@link #destroyLocked}).
 *
 * <h2>Theory of operation</h2>
 * One per contract ({@code ContractImpl.succession}). Everything it reads or
 * changes is guarded by the contract's lock ({@code ContractImpl.lock}): its
 * own {@code inTransit} and {@code handovers}, and the contract's
 * {@code state}, {@code owner}, {@code regent} and {@code inherited}, which
 * stay in {@link ContractImpl} because status reads them. Methods named
 * {@code ...Locked} run with that lock held by the caller; the others take
 * it themselves.
 *
 * <p>A hand-over between two contracts (to a regent, or from one regent to
 * the next) never holds both locks: this contract's lock is released before
 * the regent's {@link #take} or {@link #untake} takes the regent's, and a
 * destroyed regent's inherited contracts are abandoned in
 * {@code ContractImpl.unlock()}, after its lock is released. Invariants:
 * <ul>
 * <li>OWNED has an {@code owner} (the root contract excepted: nobody holds
 *     it) and no {@code regent}; INHERITED has a {@code regent} and no
 *     {@code owner}; ORPHAN and DEAD have neither.</li>
 * <li>Each hand-over adds one entry to the regent's {@code inherited} list,
 *     and exactly one party removes it again: the adopter if the hand-over
 *     was over ({@code inTransit} false), else the hand-over itself
 *     ({@link #handedTo}).</li>
 * <li>DEAD is set only at a live count of zero, by CAS on the control word
 *     of {@link Membership}, so a fork either came first or fails.</li>
 * </ul>
 * Kills and closes that giving up causes run after the lock is released
 * ({@link KillWork}). Lock order: {@link io.jcontract.internal the package
 * documentation}.
 */
final class Succession {
    private final ContractImpl contract;
    /**
     * A hand-over to {@code regent} is between flipping the state and the
     * regent's {@link #take}: an adopter must then leave the regent's list
     * to the hand-over ({@link #handedTo}), since its own untake could come
     * before the take. {@code handovers} numbers the hand-overs, so that a
     * late one can tell that the contract was adopted (and maybe handed
     * back) in between.
     */
    private boolean inTransit;
    private long handovers;

    Succession(ContractImpl contract) {
        this.contract = contract;
    }

    boolean isHeldBy(Member m) {
        contract.lock.lock();
        try {
            return contract.owner == m && contract.state == ContractState.OWNED;
        } finally {
            contract.unlock();
        }
    }

    OwnerState ownerStateOfHolder() {
        contract.lock.lock();
        try {
            return contract.owner == null ? null : contract.owner.ownerStateOrNull();
        } finally {
            contract.unlock();
        }
    }

    /**
     * The holder gives the contract up (illumos {@code contract_abandon}).
     *
     * @return false if {@code by} does not hold it
     */
    boolean abandon(Member by) {
        KillWork work = null;
        OwnerState holder;
        contract.lock.lock();
        try {
            if (contract.state != ContractState.OWNED || contract.owner != by) return false;
            holder = by.ownerStateOrNull();
            contract.owner = null;
            if (holder != null) holder.remove(contract);
            work = giveUpLocked();
        } finally {
            contract.unlock();
        }
        if (work != null) work.run();
        contract.events.releaseAcked(holder);
        return true;
    }

    /**
     * The system gives the contract up in place of its holder (or regent):
     * the privileged abandon of the monitoring MXBean, whose caller holds no
     * handle. The caller checks the privilege.
     *
     * @return false if nobody holds it (orphan, dead, the root contract)
     */
    boolean abandonAsSystem() {
        Member holder;
        ContractImpl r;
        contract.lock.lock();
        try {
            holder = contract.state == ContractState.OWNED ? contract.owner : null;
            r = contract.state == ContractState.INHERITED ? contract.regent : null;
        } finally {
            contract.unlock();
        }
        if (holder != null) return abandon(holder);
        if (r == null) return false;
        abandonInherited(r);
        r.succession.untake(contract);
        return true;
    }

    /**
     * The holder ended (illumos {@code contract_exit}): a contract with
     * {@link Param#INHERIT} whose holder's own contract is a
     * {@link Param#REGENT} passes to that regent, {@code INHERITED};
     * anything else is abandoned.
     */
    void ownerExited(Member owner) {
        ContractImpl r = owner.contract;
        long gen;
        if (!contract.terms.has(Param.INHERIT) || !r.terms.has(Param.REGENT)) {
            abandon(owner);
            return;
        }
        contract.lock.lock();
        try {
            if (contract.state != ContractState.OWNED || contract.owner != owner) return;
            OwnerState os = owner.ownerStateOrNull();
            if (os != null) os.remove(contract);
            contract.owner = null;
            contract.state = ContractState.INHERITED;
            contract.regent = r;
            inTransit = true;
            gen = ++handovers;
        } finally {
            contract.unlock();
        }
        handedTo(r, gen);
    }

    /**
     * Ends hand-over {@code gen} to regent {@code r}: {@code r} lists this
     * contract, or, if {@code r} is dead, the contract is abandoned. If the
     * contract was adopted or given up meanwhile, the entry just made is
     * taken back (each hand-over adds one entry, and exactly one party
     * removes it: the adopter if the hand-over was over, else the hand-over).
     */
    private void handedTo(ContractImpl r, long gen) {
        if (!r.succession.take(contract)) {
            abandonInherited(r);
            return;
        }
        boolean stale;
        contract.lock.lock();
        try {
            stale = contract.state != ContractState.INHERITED || contract.regent != r || handovers != gen;
            if (!stale) inTransit = false;
        } finally {
            contract.unlock();
        }
        if (stale) r.succession.untake(contract);
    }

    /** This regent takes in {@code child} (illumos {@code contract_process_take}); false if it is dead. */
    private boolean take(ContractImpl child) {
        contract.lock.lock();
        try {
            if (contract.state == ContractState.DEAD) return false;
            if (contract.inherited == null) contract.inherited = new ArrayList<>();
            contract.inherited.add(child);
            return true;
        } finally {
            contract.unlock();
        }
    }

    private void untake(ContractImpl child) {
        contract.lock.lock();
        try {
            if (contract.inherited != null) contract.inherited.remove(child);
        } finally {
            contract.unlock();
        }
    }

    /** Regent {@code r} gives up this contract it held (it died, or transfer found it gone). */
    void abandonInherited(ContractImpl r) {
        KillWork work = null;
        contract.lock.lock();
        try {
            if (contract.state != ContractState.INHERITED || contract.regent != r) return;
            contract.regent = null;
            work = giveUpLocked();
        } finally {
            contract.unlock();
        }
        if (work != null) work.run();
        contract.events.releaseAcked(null);
    }

    /**
     * Adopts this inherited contract for {@code adopter}, a member of its
     * regent (illumos {@code contract_adopt}); the unacknowledged critical
     * events are copied to the end of the adopter's owner queue.
     */
    void adopt(Member adopter) {
        if (contract.untracked)
            throw new InvalidArgumentException("contract " + contract.id + " is the root contract: nobody holds it,"
                    + " and only an INHERITED contract can be adopted");
        ContractImpl r;
        boolean untake;
        contract.lock.lock();
        try {
            switch (contract.state) {
                case OWNED -> throw new ContractBusyException("contract " + contract.id + " is already held by member "
                        + contract.owner.id + " (adopted first, or never inherited)");
                case ORPHAN, DEAD -> throw new InvalidArgumentException("contract " + contract.id + " is " + contract.state
                        + ": only an INHERITED contract can be adopted");
                default -> { }
            }
            if (contract.regent != adopter.contract)
                throw new ContractPermissionException(ContractError.EACCES, "contract " + contract.id
                        + " is held by regent contract " + contract.regent.id + "; member " + adopter.id
                        + " of contract " + adopter.contract.id + " may not adopt it");
            r = contract.regent;
            contract.regent = null;
            untake = !inTransit;        // else the hand-over, once it has taken, takes back
            inTransit = false;
            contract.state = ContractState.OWNED;
            contract.owner = adopter;
            OwnerState os = adopter.ownerState();
            os.add(contract);
            if (contract.unacked != null) for (Published p : contract.unacked.values()) os.queue.offer(p);
        } finally {
            contract.unlock();
        }
        if (untake) r.succession.untake(contract);
    }

    /**
     * The transfer term of a new contract named this one: if the creator of
     * {@code successor} holds this contract, this one is abandoned once the
     * successor is visible (inherited contracts move to the successor first
     * when regents exist). Never across holders.
     */
    void transferTo(ContractImpl successor, Member creator) {
        List<ContractImpl> moving;
        contract.lock.lock();
        try {
            if (contract.state != ContractState.OWNED || contract.owner != creator) return;
            moving = contract.inherited == null ? List.of() : contract.inherited;
            contract.inherited = null;
        } finally {
            contract.unlock();
        }
        for (ContractImpl c : moving) c.succession.moveTo(contract, successor);
        abandon(creator);
    }

    /** Transfer: regent {@code from} hands this inherited contract to {@code to}. */
    private void moveTo(ContractImpl from, ContractImpl to) {
        long gen;
        contract.lock.lock();
        try {
            if (contract.state != ContractState.INHERITED || contract.regent != from) return;
            contract.regent = to;
            inTransit = true;
            gen = ++handovers;
        } finally {
            contract.unlock();
        }
        handedTo(to, gen);
    }

    /** No holder any more: die if empty, else become an orphan (killing the members first with NOORPHAN). */
    private KillWork giveUpLocked() {
        KillWork work = null;
        if (!contract.members.isEmpty() && contract.terms.has(Param.NOORPHAN)) work = contract.kills.killLocked(null, true);
        if (contract.state == ContractState.DEAD) return work;
        if (contract.members.closeIfEmpty()) {           // DEAD only at zero, by CAS: a fork either came first or fails
            destroyLocked();
        } else if (contract.members.orphanIfNotEmpty()) {    // ORPHAN: no fork at zero, so the last exit destroys it
            contract.state = ContractState.ORPHAN;
            contract.events.ackAllLocked();
        } else {
            contract.members.closeIfEmpty();             // emptied in between (only under this lock: not possible)
            destroyLocked();
        }
        return work;
    }

    void destroyLocked() {
        contract.state = ContractState.DEAD;
        if (contract.kills.resources != null) {
            contract.kills.releasedResources = contract.kills.resources;      // closed in unlock(), off the lock and the caller's thread
            contract.kills.resources = null;
        } else if (contract.ownership != null) {
            contract.kills.releasedResources = List.of();      // only releases what it owned
        }
        if (contract.owner != null) {
            OwnerState os = contract.owner.ownerStateOrNull();
            if (os != null) os.remove(contract);
            contract.owner = null;
        }
        contract.events.ackAllLocked();
        contract.table.remove(contract, contract.limitIdentity);
        contract.queue.markDead();
        if (contract.inherited != null) {
            contract.releasedInherited = contract.inherited;      // abandoned in unlock(): never two contract locks at once
            contract.inherited = null;
        }
    }
}
