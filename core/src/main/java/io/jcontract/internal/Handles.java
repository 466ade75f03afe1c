package io.jcontract.internal;

import io.jcontract.Contract;
import io.jcontract.ContractError;
import io.jcontract.ContractPermissionException;
import io.jcontract.ContractState;
import io.jcontract.ContractStatus;
import io.jcontract.ContractView;
import io.jcontract.Credential;
import io.jcontract.Privilege;
import io.jcontract.EventListener;
import io.jcontract.StatusDetail;
import io.jcontract.KillReport;
import io.jcontract.KillTimeoutException;

import java.time.Duration;


/**
 * The two faces of a contract handed to code: the holder's control handle
 * and the read-only view. Both are thin: every rule lives in
 * {@link ContractImpl}. A view is a different class from the handle, so it
 * cannot be cast into control.
 */
public final class Handles {
    private Handles() {
    }

    public static Contract control(ContractImpl c, Member holder) {
        return new Control(c, holder);
    }

    /**
     * Runs {@code fork} (a start or a hand-off under an active template) and
     * returns the control handle of the contract it created.
     *
     * @throws io.jcontract.InvalidArgumentException if it created none
     */
    public static Contract created(Runnable fork, String what) {
        Member me = ContractTable.TABLE.current();
        ContractImpl before = latestOf(me);
        fork.run();
        ContractImpl made = latestOf(me);
        if (made == null || made == before)
            throw new io.jcontract.InvalidArgumentException("the " + what + " created no contract: the executor "
                    + "neither is wrapped (ContractExecutors.wrap) nor runs under the agent");
        return control(made, me);
    }

    /** The last contract {@code m} created, or null. */
    public static ContractImpl latestOf(Member m) {
        return m.latest();
    }

    /** A bundle listener: everything for an observer, else only the caller identity's contracts. */
    public static EventListener bundle(Member m) {
        Credential cred = m.credential();
        return ContractTable.TABLE.bundle.listen(false,
                cred.has(Privilege.CONTRACT_OBSERVER) ? null : cred.identity());
    }

    /** Adopts contract {@code id} for the calling member; see {@link ContractImpl#adopt}. */
    public static Contract adopt(int id) {
        Member me = ContractTable.TABLE.current();
        ContractImpl c = ContractTable.TABLE.find(id);
        if (c == null) throw new io.jcontract.NoSuchContractException("no live contract has id " + id);
        c.succession.adopt(me);
        return control(c, me);
    }

    /** The owner queue of {@code m}, created on first use. */
    public static EventQueue ownerQueue(Member m) {
        return m.ownerState().queue;
    }

    public static ContractView view(ContractImpl c) {
        return new View(c);
    }

    /** Read-only view. */
    private static class View implements ContractView {
        final ContractImpl c;

        View(ContractImpl c) {
            this.c = c;
        }

        @Override public int id() { return c.id; }

        @Override public ContractState state() { return c.state(); }

        @Override public ContractStatus status(StatusDetail detail) { return ContractStatusBuilder.build(c, detail); }

        @Override
        public EventListener events() {
            checkObserver();
            return c.queue.listen(false);
        }

        @Override
        public EventListener reliableEvents() {
            checkObserver();
            if (!Credentials.hasContractEvent())
                throw new ContractPermissionException(ContractError.EPERM,
                        "a reliable listener needs the contract_event privilege");
            return c.queue.listen(true);
        }

        private void checkObserver() {
            Member me = ContractTable.TABLE.current();
            if (!Credentials.mayObserve(c, me))
                throw new ContractPermissionException(ContractError.EPERM, "contract " + c.id + " was created by "
                        + c.author.identity() + "; reading its events as " + me.credential().identity()
                        + " needs the contract_observer privilege");
        }

        @Override public boolean equals(Object o) { return o instanceof View v && v.c == c; }

        @Override public int hashCode() { return c.id; }

        @Override public String toString() { return "contract " + c.id; }
    }

    /** The holder's handle. */
    private static final class Control extends View implements Contract {
        private final Member holder;

        Control(ContractImpl c, Member holder) {
            super(c);
            this.holder = holder;
        }

        private void checkHeld(String op) {
            if (!c.succession.isHeldBy(holder)) notHeld(op);
        }

        private void notHeld(String op) {
            throw new ContractPermissionException(ContractError.EACCES, "cannot " + op + " contract " + c.id
                    + ": it is " + c.state() + " and no longer held by member " + holder.id);
        }

        @Override
        public void abandon() {
            if (!c.succession.abandon(holder))
                throw new ContractPermissionException(ContractError.EACCES, "cannot abandon contract " + c.id
                        + ": it is " + c.state() + " and no longer held by member " + holder.id);
        }

        @Override
        public void ack(long eventId) {
            if (!c.events.ackAsHolder(holder, eventId)) notHeld("acknowledge events of");     // checked under the lock
        }

        @Override
        public KillHandle kill() {
            if (!c.kills.killAsHolder(holder)) notHeld("kill");        // checked under the lock
            return new KillWatch(c);
        }

        @Override
        public void register(AutoCloseable resource) {
            if (resource == null) throw new io.jcontract.InvalidArgumentException("resource to register is null");
            checkHeld("register a resource with");
            c.kills.register(resource);
        }

        @Override
        public ContractView view() {
            return new View(c);
        }

        @Override
        public KillReport close(Duration grace) {
            if (grace == null || grace.isNegative())
                throw new io.jcontract.InvalidArgumentException("grace " + grace + " is not a duration >= 0");
            if (!c.succession.isHeldBy(holder)) return null;                  // closed (or given up) before: nothing to do
            KillHandle kill;
            try {
                kill = kill();
            } catch (ContractPermissionException lost) {
                return null;                                        // given up meanwhile
            }
            KillReport report;
            boolean interrupted = false;
            try {
                report = kill.awaitEmpty(grace);
            } catch (InterruptedException e) {
                interrupted = true;
                try {
                    report = kill.awaitEmpty(Duration.ZERO);       // does not wait, so no second interrupt
                } catch (InterruptedException never) {
                    throw new AssertionError(never);
                }
            }
            try {
                c.succession.abandon(holder);                                  // false if given up meanwhile: nothing left to do
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
            if (!report.empty())
                throw new KillTimeoutException("contract " + c.id + " still had " + report.stragglers().size()
                        + " member(s) " + (interrupted ? "when close was interrupted" : grace.toMillis()
                        + " ms after the kill") + "; it was abandoned and dies when they end: "
                        + report.stragglers(), report);
            return report;
        }
    }

}
