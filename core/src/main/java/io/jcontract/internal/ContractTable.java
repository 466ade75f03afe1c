package io.jcontract.internal;

import io.jcontract.ContractLimitException;
import io.jcontract.NoSuchContractException;
import io.jcontract.TableStats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The contract table: the one piece of global state. It maps ids to live
 * contracts, hands out contract and event ids, holds the bundle (the queue
 * of every process contract event), the root contract, each thread's
 * current member, and the limit on live contracts.
 *
 * <h2>Theory of operation</h2>
 * Contract ids come from one counter and are never reused (a JVM that
 * creates 2<sup>31</sup>-2 contracts gets {@link ContractLimitException}).
 * The table holds only live contracts: a contract leaves it when it dies, so
 * a dead one is reachable only through handles that still refer to it.
 * Nothing here is locked: the map is concurrent and every counter atomic, so
 * fork and exit never contend on anything shared by all contracts except
 * these counters and the bundle's lock-free offer.
 *
 * <p>A thread's current member is found in one of three places:
 * <ul>
 * <li>With the agent, the thread registry ({@code byThread}, which the
 *     agent's interrupt and blocking hooks need anyway). Every
 *     {@code setCurrent} is paired with a {@code registerThread} of the same
 *     member, so {@code setCurrent} leaves the ThreadLocal alone (but for a
 *     foreign member, which came from it), and a member thread pays no
 *     ThreadLocal map (136 bytes) on top of its registry entry.</li>
 * <li>Without the agent, on JDK 25+, a thread the explicit API started finds
 *     its member in a {@link CurrentBinding} (a ScopedValue).</li>
 * <li>Otherwise the {@code current} ThreadLocal, whose first use on a thread
 *     makes that thread's foreign member: foreign threads, workers between
 *     tasks, a started thread that has not begun its body.</li>
 * </ul>
 *
 * <p>Threads that jcontract did not start belong to the root contract
 * (id 1): a member is made for them on first use, never linked into the
 * root's member list (their end cannot be seen without the agent). The
 * foreign threads that come to own contracts are watched by one daemon
 * thread, which abandons an owner's contracts when it ends.
 */
public final class ContractTable {

    /** Default limit on live contracts per owner identity, like illumos' {@code project.max-contracts}. */
    static final int DEFAULT_LIMIT = Integer.getInteger("jcontract.maxContracts", 10_000);

    /** The table. */
    public static final ContractTable TABLE = new ContractTable();

    private final ConcurrentHashMap<Integer, ContractImpl> live = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicLong nextEventId = new AtomicLong(1);
    private final ConcurrentHashMap<Object, AtomicInteger> perIdentity = new ConcurrentHashMap<>();
    private volatile int limit = DEFAULT_LIMIT;
    private volatile ConcurrentHashMap<Thread, Member> byThread;

    final EventQueue bundle = new EventQueue("bundle", false, EventQueue.DEFAULT_CAPACITY);
    final ContractImpl root;
    private final ThreadLocal<Member> current;

    private ContractTable() {
        root = ContractImpl.root(this, nextId.getAndIncrement());
        live.put(root.id, root);
        current = new ForeignByDefault(root);
    }

    /**
     * Each thread's current member, a foreign member of the root until set. Classes, not lambdas,
     * here and in {@link #liveContracts}: the agent makes the table at start-up, where each lambda
     * would be a class spun anew.
     */
    private static final class ForeignByDefault extends ThreadLocal<Member> {
        private final ContractImpl root;

        ForeignByDefault(ContractImpl root) {
            this.root = root;
        }

        @Override
        protected Member initialValue() {
            return Member.foreign(Thread.currentThread(), root);
        }
    }

    private static final class ById implements Comparator<ContractImpl> {
        @Override
        public int compare(ContractImpl a, ContractImpl b) {
            return Integer.compare(a.id, b.id);
        }
    }

    // ----------------------------------------------------------------- members

    /** The calling thread's member (a foreign member of the root if jcontract did not start it). */
    public Member current() {
        ConcurrentHashMap<Thread, Member> map = byThread;
        if (map != null) {
            Thread t = Thread.currentThread();
            Member m = map.get(t);
            if (m != null && !m.awaitsStartOn(t)) return m;
        } else if (CurrentBinding.ON) {
            Member b = CurrentBinding.boundHere();
            if (b != null) {
                Member.Rare r = b.rareOrNull();
                return r == null || r.currentOverride == null ? b : r.currentOverride;
            }
        }
        return current.get();
    }

    /** Whether the thread registry is on (the agent's). */
    boolean registryOn() {
        return byThread != null;
    }

    /**
     * Starts keeping a map from running threads to their members, which the
     * agent needs to find the member an interrupt is aimed at. Off by
     * default: without the agent nobody asks, and fork and exit do not pay.
     *
     * @throws io.jcontract.ContractPermissionException ({@code EPERM}) without
     *         {@link io.jcontract.Privilege#SYS_RESOURCE}: every fork and exit of the JVM pays for it
     */
    public void enableThreadRegistry() {
        Credentials.require(io.jcontract.Privilege.SYS_RESOURCE, "switch on the thread registry");
        if (byThread == null) byThread = new ConcurrentHashMap<>();
    }

    /** The member {@code t} is running now, if the registry is on and it runs one. */
    public Member memberOf(Thread t) {
        ConcurrentHashMap<Thread, Member> map = byThread;
        return map == null ? null : map.get(t);
    }

    /** The thread → member map, or null when off: read (never written) by {@link ThreadDumpView}. */
    ConcurrentHashMap<Thread, Member> threadRegistry() {
        return byThread;
    }

    /** Enters {@code t} → {@code m} (null: removes {@code t}); returns the member it replaced, or null. */
    Member registerThread(Thread t, Member m) {
        ConcurrentHashMap<Thread, Member> map = byThread;
        if (map == null) return null;
        return m == null ? map.remove(t) : map.put(t, m);
    }

    void unregisterThread(Thread t) {
        ConcurrentHashMap<Thread, Member> map = byThread;
        if (map != null && t != null) map.remove(t);
    }

    /** Makes {@code m} the calling thread's member; always paired with {@link #registerThread} of the same member. */
    void setCurrent(Member m) {
        // With the registry on, its entry is what current() reads; a foreign member (a worker's own,
        // given back after a task) goes to the ThreadLocal, where current() found it in the first place.
        if (byThread != null && !m.foreign) return;
        if (byThread == null && CurrentBinding.ON) {
            Member b = CurrentBinding.boundHere();
            if (b != null) {                // a bound thread: its member, or a task it runs inline
                if (m != b) b.rare().currentOverride = m;
                else if (b.rareOrNull() != null) b.rareOrNull().currentOverride = null;
                return;
            }
        }
        current.set(m);
    }

    void clearCurrent() {
        current.remove();
    }

    // ----------------------------------------------------------------- contracts

    public ContractImpl root() {
        return root;
    }

    public ContractImpl lookup(int id) {
        ContractImpl c = live.get(id);
        if (c == null) throw new NoSuchContractException("no live contract has id " + id);
        return c;
    }

    public ContractImpl find(int id) {
        return live.get(id);
    }

    public List<ContractImpl> liveContracts() {
        List<ContractImpl> all = new ArrayList<>(live.values());
        all.sort(new ById());
        return all;
    }

    public EventQueue bundle() {
        return bundle;
    }

    /** Takes a contract id and a slot under the caller identity's limit; see {@link #release}. */
    int reserve(Object identity) {
        AtomicInteger n = perIdentity.computeIfAbsent(identity, k -> new AtomicInteger());
        int lim = limit;
        for (;;) {
            int c = n.get();
            if (c >= lim)
                throw new ContractLimitException("owner identity " + identity + " already has " + c
                        + " live contracts (limit " + lim + ")");
            if (n.compareAndSet(c, c + 1)) break;
        }
        int id = nextId.getAndUpdate(i -> i == Integer.MAX_VALUE ? i : i + 1);
        if (id == Integer.MAX_VALUE) {
            n.decrementAndGet();
            throw new ContractLimitException("contract ids are exhausted (2^31-1 contracts created)");
        }
        return id;
    }

    void publish(ContractImpl c) {
        live.put(c.id, c);
    }

    void remove(ContractImpl c, Object identity) {
        if (live.remove(c.id, c)) {
            AtomicInteger n = perIdentity.get(identity);
            if (n != null) n.decrementAndGet();
        }
    }

    /** Sets the limit on live contracts per owner identity. */
    public void setLimit(int limit) {
        if (limit < 1) throw new io.jcontract.InvalidArgumentException("contract limit must be positive: " + limit);
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }

    long nextEventId() {
        return nextEventId.getAndIncrement();
    }

    // ----------------------------------------------------------------- foreign owners

    /** How often the watcher looks at the foreign owners it watches. */
    private static final long WATCH_PERIOD_NANOS = 50_000_000L;
    /** Foreign owners whose end is awaited; the watcher takes out those that ended. */
    private final ConcurrentLinkedQueue<Member> watched = new ConcurrentLinkedQueue<>();
    /** Whether the watcher thread was started (once: it then lives as long as the JVM). */
    private final AtomicBoolean watching = new AtomicBoolean();
    private volatile Thread watcher;

    /**
     * Watches a foreign thread that just came to own a contract, so that its
     * contracts are abandoned when it ends, as a member's are at its exit.
     * One daemon thread watches every such owner: it looks every 50 ms while
     * there are any (a foreign thread's end cannot be seen otherwise without
     * the agent), and parks until the next one comes when there are none.
     */
    void watchForeignOwner(Member owner) {
        watched.add(owner);
        Thread w = watcher;
        if (w != null) LockSupport.unpark(w);
        else if (watching.compareAndSet(false, true))
            watcher = Thread.ofPlatform().daemon().name("jcontract-owner-watch-all").start(this::watchOwners);
        // else the watcher is being started: its first look sees the owner just added
    }

    private void watchOwners() {
        for (;;) {
            for (Iterator<Member> it = watched.iterator(); it.hasNext(); ) {
                Member owner = it.next();
                Thread t = owner.runnerOrThread();
                if (t != null && t.isAlive()) continue;
                it.remove();
                try {
                    Lifecycle.ownerGone(owner);
                } catch (RuntimeException | Error e) {
                    // one owner's contracts failing to go must not stop the watch of the others
                }
            }
            if (watched.isEmpty()) LockSupport.park(this);      // an add unparks it
            else LockSupport.parkNanos(this, WATCH_PERIOD_NANOS);
        }
    }

    /** Counts for leak checks and metrics: live contracts, members, pending tasks, listeners, kept events. */
    public TableStats stats() {
        int contracts = 0, members = 0, pending = 0, listeners = bundle.listeners();
        long events = bundle.retained();
        for (ContractImpl c : live.values()) {
            contracts++;
            int[] counts = c.counts();
            members += counts[0];
            pending += counts[1];
            listeners += c.queue.listeners();
            events += c.queue.retained();
            OwnerState os = c.succession.ownerStateOfHolder();
            if (os != null) {
                listeners += os.queue.listeners();
                events += os.queue.retained();
            }
        }
        OwnerState mine = current().ownerStateOrNull();
        if (mine != null && mine.count() == 0) {   // not counted above through a contract it holds
            listeners += mine.queue.listeners();
            events += mine.queue.retained();
        }
        return new TableStats(contracts, members, pending, listeners, events);
    }
}
