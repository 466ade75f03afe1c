package io.jcontract.internal;

import io.jcontract.ContractState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The narrow hook through which the agent shows contracts in the JDK's own
 * thread dump ({@code jcmd <pid> Thread.dump_to_file -format=json}): the
 * agent installs a factory that makes one JDK thread container per
 * contract, and reads the contracts through the lock-free views below when
 * the JDK dumps. Nothing here refers to JDK internals; without the agent no
 * factory is installed and contract creation pays one volatile read.
 *
 * <h2>Theory of operation</h2>
 * {@link #created} runs on the creating thread right after the contract is
 * in the table, with no lock held; the factory's object is stored in the
 * contract ({@code ContractImpl.dumpContainer}, written once by CAS) so it
 * lives exactly as long as the contract is reachable: the JDK's registry of
 * containers is weak, and a contract that is garbage takes its container
 * with it. Contracts that existed before the factory was installed get
 * theirs in {@link #install}; the CAS makes a race with {@link #created}
 * harmless (the loser's object is handed back to be discarded).
 *
 * <p>The views are called by the JDK's dumping thread: they take <b>no
 * kernel lock</b> (no contract lock, no member monitor a hook could hold),
 * so a dump can never wait on, or deadlock with, the kernel. They read
 * fields guarded by the contract's lock without it, so what they show may
 * be a moment stale, which a thread dump is anyway. The one exception is
 * the thread of a holder jcontract did not start (a foreign member: main,
 * a thread older than the agent), read under that member's monitor, which
 * only its own binding ever takes (foreign members are never killed).
 */
public final class ThreadDumpView {
    private static volatile Function<ContractImpl, Object> factory;

    private ThreadDumpView() {
    }

    /** What the dump needs about one contract at one moment. */
    public record Snapshot(Map<ContractImpl, List<Thread>> members, Map<Member, Thread> threadOf) {
    }

    /**
     * Installs the factory and gives every live contract but the root its
     * object. {@code discard} gets the objects that lost a race with a
     * concurrent creation. The factory runs on every later contract creation,
     * so installing it needs {@link io.jcontract.Privilege#SYS_RESOURCE}, and
     * it is installed once (the agent does it at start).
     *
     * @throws io.jcontract.ContractPermissionException ({@code EPERM}) without SYS_RESOURCE
     * @throws IllegalStateException if a factory is installed already
     */
    public static synchronized void install(Function<ContractImpl, Object> f, java.util.function.Consumer<Object> discard) {
        Credentials.require(io.jcontract.Privilege.SYS_RESOURCE, "install the thread-dump view");
        if (f == null || discard == null) throw new io.jcontract.InvalidArgumentException("factory or discard is null");
        if (factory != null) throw new IllegalStateException("the thread-dump view is installed already");
        factory = f;
        for (ContractImpl c : ContractTable.TABLE.liveContracts()) {
            if (c == ContractTable.TABLE.root()) continue;
            attach(c, f, discard);
        }
    }

    /** From {@code ContractImpl.create}, no lock held. */
    static void created(ContractImpl c) {
        Function<ContractImpl, Object> f = factory;
        if (f != null) attach(c, f, null);
    }

    private static void attach(ContractImpl c, Function<ContractImpl, Object> f, java.util.function.Consumer<Object> discard) {
        if (c.dumpContainer != null) return;
        Object o;
        try {
            o = f.apply(c);
        } catch (RuntimeException | LinkageError e) {
            return;   // the dump is diagnostics: it must never make a contract fail
        }
        if (!c.setDumpContainer(o) && discard != null) discard.accept(o);
    }

    /** The object the factory made for {@code c}, or null. */
    public static Object container(ContractImpl c) {
        return c == null ? null : c.dumpContainer;
    }

    public static int id(ContractImpl c) {
        return c.id;
    }

    /** The service identity the contract runs under (its own, or inherited from its creator's contract). */
    public static String identity(ContractImpl c) {
        return c.identity;
    }

    /** The creator's free-form note (creator aux), or null. */
    public static String aux(ContractImpl c) {
        return c.terms.aux();
    }

    public static ContractState state(ContractImpl c) {
        return c.stateRacy();
    }

    public static boolean isRoot(ContractImpl c) {
        return c == ContractTable.TABLE.root();
    }

    /**
     * The contract that holds {@code c}: its holder's contract while OWNED,
     * the regent it is inherited by while INHERITED; null for an orphan, a
     * dead contract or the root (the dump shows those under its root).
     */
    public static ContractImpl holderContract(ContractImpl c) {
        Member owner = c.holderRacy();
        if (owner != null) return owner.contract;
        return c.regentRacy();
    }

    /** The thread running the holder of {@code c}, or null (inherited, orphan, holder not running). */
    public static Thread holderThread(ContractImpl c, Snapshot s) {
        Member owner = c.holderRacy();
        if (owner == null) return null;
        Thread t = s.threadOf().get(owner);
        if (t == null && owner.foreign) t = owner.runnerOrThread();
        return t;
    }

    /**
     * One pass over the agent's thread → member registry: the running
     * members of every contract (threads, and pool workers while they run a
     * task), and the thread of every running member.
     */
    public static Snapshot snapshot() {
        Map<ContractImpl, List<Thread>> members = new HashMap<>();
        Map<Member, Thread> threadOf = new IdentityHashMap<>();
        ConcurrentHashMap<Thread, Member> map = ContractTable.TABLE.threadRegistry();
        if (map != null) {
            for (Map.Entry<Thread, Member> e : map.entrySet()) {
                Thread t = e.getKey();
                Member m = e.getValue();
                if (!t.isAlive()) continue;
                threadOf.put(m, t);
                members.computeIfAbsent(m.contract, k -> new ArrayList<>()).add(t);
            }
        }
        return new Snapshot(members, threadOf);
    }
}
