package io.jcontract.internal;

import io.jcontract.ContractError;
import io.jcontract.ContractPermissionException;
import io.jcontract.ContractState;
import io.jcontract.ContractStatus;
import io.jcontract.Credential;
import io.jcontract.InvalidArgumentException;
import io.jcontract.KillReport;
import io.jcontract.NoSuchContractException;
import io.jcontract.StatusDetail;

import io.jcontract.EventListener;
import io.jcontract.Privilege;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the monitoring views (the MXBean, the metrics) read of the table, and
 * the control they may exercise without a handle.
 *
 * <h2>Control without a handle</h2>
 * Control of a contract is a capability: only its holder's
 * {@link io.jcontract.Contract} handle kills or abandons it. An operator
 * (JMX) has none, so, as in illumos, where a sufficiently privileged process
 * controls any contract it can open, {@link #kill} and {@link #abandon} act
 * as the system for a caller whose {@linkplain Credential#current()
 * credential} is fully privileged (every privilege: a thread jcontract did
 * not start, such as a JMX connector thread, unless it dropped some), and
 * fail with {@link ContractPermissionException} ({@code EPERM}) otherwise.
 * The root contract is never killed or abandoned ({@code EINVAL}). Reading
 * (table, counts, status) needs no privilege, like {@code ct_status}.
 *
 * <h2>Dead contracts</h2>
 * The table forgets a contract when it dies; a dead contract lives on only
 * while a handle refers to it (as illumos keeps a dead contract while a
 * file descriptor does). To show such contracts ({@code ctstat -a}), every
 * contract a view has listed is remembered through a weak reference, so the
 * memory is not kept alive by the view: the dead ones still reachable are
 * those whose reference has not been cleared. Contracts born and dead
 * between two listings are not seen.
 */
public final class Monitoring {
    private static final ContractTable T = ContractTable.TABLE;

    private static final ConcurrentHashMap<Integer, WeakReference<ContractImpl>> SEEN = new ConcurrentHashMap<>();

    private Monitoring() {
    }

    /**
     * Status of every live contract, and with {@code withDead} of the dead
     * ones still referenced that an earlier listing saw; ascending by id.
     */
    public static List<ContractStatus> table(StatusDetail detail, boolean withDead) {
        List<ContractStatus> out = new ArrayList<>();
        List<ContractImpl> live = T.liveContracts();
        for (ContractImpl c : live) SEEN.putIfAbsent(c.id, new WeakReference<>(c));
        SEEN.values().removeIf(r -> r.get() == null);
        if (withDead) {
            List<ContractImpl> all = new ArrayList<>(live);
            for (WeakReference<ContractImpl> r : SEEN.values()) {
                ContractImpl c = r.get();
                if (c != null && c.state() == ContractState.DEAD) all.add(c);
            }
            all.sort((a, b) -> Integer.compare(a.id, b.id));
            live = all;
        }
        for (ContractImpl c : live) out.add(ContractStatusBuilder.build(c, detail));
        return out;
    }

    /**
     * Status of contract {@code id}, live or, if a listing saw it, dead and still referenced.
     *
     * @throws NoSuchContractException if there is no such contract
     */
    public static ContractStatus statusAny(int id, StatusDetail detail) {
        ContractImpl c = T.find(id);
        if (c == null) {
            WeakReference<ContractImpl> r = SEEN.get(id);
            c = r == null ? null : r.get();
        }
        if (c == null) throw new NoSuchContractException("no contract has id " + id
                + " (it never existed, or it died and nothing refers to it)");
        return ContractStatusBuilder.build(c, detail);
    }

    /**
     * Whether critical event {@code eventId} of contract {@code contractId} has been acknowledged
     * (orphaning and death acknowledge all; a contract nothing refers to any more is dead).
     * Informative events are never acknowledged.
     */
    public static boolean acknowledged(int contractId, long eventId, boolean critical) {
        if (!critical) return false;
        ContractImpl c = T.find(contractId);
        if (c == null) {
            WeakReference<ContractImpl> r = SEEN.get(contractId);
            c = r == null ? null : r.get();
        }
        return c == null || !c.events.isUnacked(eventId);
    }

    /**
     * A listener on the bundle for the calling thread: every contract's events for an observer,
     * else those of its identity's contracts; {@code reliable} as {@link io.jcontract.ContractView#reliableEvents()}.
     *
     * @throws ContractPermissionException ({@code EPERM}) for a reliable listener without {@code contract_event}
     */
    public static EventListener bundle(boolean reliable) {
        Credential cred = T.current().credential();
        if (reliable && !cred.has(Privilege.CONTRACT_EVENT))
            throw new ContractPermissionException(ContractError.EPERM,
                    "a reliable listener needs the contract_event privilege; acting as " + cred);
        return T.bundle.listen(reliable, cred.has(Privilege.CONTRACT_OBSERVER) ? null : cred.identity());
    }

    /** Live contracts by state (the root included, as OWNED); DEAD is always 0. */
    public static Map<ContractState, Integer> countByState() {
        Map<ContractState, Integer> n = new EnumMap<>(ContractState.class);
        for (ContractState s : ContractState.values()) n.put(s, 0);
        for (ContractImpl c : T.liveContracts()) n.merge(c.state(), 1, Integer::sum);
        return n;
    }

    /** Running members and pending tasks of every live contract: {@code {members, pending}}. */
    public static long[] memberCounts() {
        long members = 0, pending = 0;
        for (ContractImpl c : T.liveContracts()) {
            int[] counts = c.counts();
            members += counts[0];
            pending += counts[1];
        }
        return new long[] {members, pending};
    }

    /** Running members and pending tasks of live contract {@code id}: {@code {members, pending}}. */
    public static int[] counts(int id) {
        return T.lookup(id).counts();
    }

    /** Status of live contract {@code id}. */
    public static ContractStatus status(int id, StatusDetail detail) {
        return ContractStatusBuilder.build(T.lookup(id), detail);
    }

    /** The system kills contract {@code id}; see the class comment for who may. */
    public static void kill(int id) {
        controlled(id, "kill").kills.kill(null, false);
    }

    /** The system kills contract {@code id} and waits up to {@code timeout} for it to empty. */
    public static KillReport killAndAwait(int id, Duration timeout) throws InterruptedException {
        ContractImpl c = controlled(id, "kill");
        c.kills.kill(null, false);
        return c.kills.awaitEmpty(timeout);
    }

    /** The system abandons contract {@code id} for its holder (or regent); see the class comment. */
    public static void abandon(int id) {
        ContractImpl c = controlled(id, "abandon");
        if (!c.succession.abandonAsSystem())
            throw new ContractPermissionException(ContractError.EACCES, "cannot abandon contract " + id
                    + ": it is " + c.state() + " and nobody holds it");
    }

    private static ContractImpl controlled(int id, String op) {
        Credential cred = T.current().credential();
        if (!cred.isFullyPrivileged())
            throw new ContractPermissionException(ContractError.EPERM, "cannot " + op + " contract " + id
                    + " without its handle: acting as " + cred + ", the caller needs every privilege");
        ContractImpl c = T.find(id);
        if (c == null) throw new NoSuchContractException("no live contract has id " + id);
        if (c == T.root) throw new InvalidArgumentException("contract " + id + " is the root contract: it cannot be "
                + (op.equals("kill") ? "killed" : "abandoned"));
        return c;
    }
}
