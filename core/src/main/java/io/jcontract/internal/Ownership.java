package io.jcontract.internal;

import io.jcontract.Credential;
import io.jcontract.LifecycleAdapter;

import java.io.Closeable;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channel;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What a contract owns because a member created it (SEMANTICS Part 2,
 * "Ownership follows creation"): JDK pools ({@code ExecutorService},
 * {@code ForkJoinPool}, {@code Timer}), channels, selectors and sockets,
 * {@code HttpClient}s, and the lifecycle objects a {@link LifecycleAdapter}
 * recognises. Rung 4 of a kill shuts them all down through {@link KillReaper}.
 *
 * <h2>Theory of operation</h2>
 * The agent calls {@link #created} at the return of the hooked constructors.
 * If the creating thread is a member of a tracked contract, and the object is
 * not the JDK's own (a pool or channel whose creation the JDK itself asked for,
 * as {@code CompletableFuture}'s delayer or an {@code HttpClient}'s sockets;
 * found by walking the creator's stack to the first frame outside the
 * object's own API) nor a library's JVM-wide singleton, it becomes an entry
 * of that contract's {@code Ownership}.
 *
 * <p>Entries hold their object weakly: an owned pool or channel nobody
 * references any more is forgotten; cleared and closed entries are swept
 * whenever the list has doubled. {@code entries} and {@code closed} are
 * guarded by this object's monitor, which is never held while calling out
 * and never taken under the contract lock. A whole-contract kill
 * {@link #drain drains} the list and closes it: anything created after that
 * is shut down at once. So every owned object a kill saw, or that was
 * created after it, is shut down exactly once.
 *
 * <p>Pools also go into a JVM-wide weak map from the pool to its contract
 * ({@link #POOLS}), so that the agent can make a pool's workers members of
 * the pool's contract whoever makes the pool start them ({@link #forkWorker}).
 */
public final class Ownership {
    enum Kind { LIFECYCLE, POOL, HTTP_CLIENT, CHANNEL }

    private static final ContractTable T = ContractTable.TABLE;
    /**
     * The class the agent's lookup bridge defines in java.base, between woven JDK code and the
     * bridge (the agent's {@code LookupBridge} takes its name from here).
     */
    public static final String AGENT_FACADE = "java.lang.JContractHooks";
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** An owned object, held weakly. */
    static final class Entry extends WeakReference<Object> {
        final Kind kind;
        final LifecycleAdapter adapter;
        final String what;

        Entry(Object o, Kind kind, LifecycleAdapter adapter) {
            super(o);
            this.kind = kind;
            this.adapter = adapter;
            this.what = adapter != null ? adapter.describe(o)
                    : o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
        }

        boolean live() {
            Object o = get();
            if (o == null) return false;
            if (o instanceof ExecutorService e) return !e.isTerminated();
            if (o instanceof Channel ch) return ch.isOpen();
            if (o instanceof Selector s) return s.isOpen();
            if (o instanceof Socket s) return !s.isClosed();
            if (o instanceof ServerSocket s) return !s.isClosed();
            if (o instanceof DatagramSocket s) return !s.isClosed();
            return true;
        }
    }

    private final ContractImpl contract;
    private final ArrayList<Entry> entries = new ArrayList<>();   // guarded by this
    private boolean closed;                                       // guarded by this
    private int sweepAt = 64;                                     // guarded by this

    Ownership(ContractImpl contract) {
        this.contract = contract;
    }

    // ----------------------------------------------------------------- creation

    /** The hooked constructor of {@code o} returned on the calling thread. Never throws. */
    public static void created(Object o) {
        if (o == null) return;
        Member m = T.current();
        ContractImpl c = m.contract;
        if (c == T.root || m.foreign || InfrastructureRegistry.inside()) return;
        LifecycleAdapter a = Adapters.forObject(o);
        Kind kind;
        if (a != null) {
            if (a.isInfrastructure(o) || !a.recognises(o)) return;
            kind = Kind.LIFECYCLE;
        } else if (o instanceof ExecutorService || o instanceof Timer) {
            if (o instanceof ForkJoinPool p && isVirtualThreadScheduler(p)) return;
            kind = Kind.POOL;
        } else if (isHttpClient(o)) {
            kind = Kind.HTTP_CLIENT;
        } else if (o instanceof Channel || o instanceof Selector || o instanceof Socket || o instanceof ServerSocket
                || o instanceof DatagramSocket) {
            if (o.getClass().getName().startsWith("sun.nio.ch.")) {
                // a channel's socket adaptor (channel.socket()): its channel is what is owned
                if (!(o instanceof Channel) && !(o instanceof Selector)) return;
            }
            kind = Kind.CHANNEL;
        } else {
            return;
        }
        if (kind != Kind.LIFECYCLE && createdForTheJdk(o, kind)) return;
        c.ownership().add(o, kind, a, m);
    }

    /**
     * A {@code Timer}'s thread is starting (in the Timer's constructor, on the
     * creator's thread): whether it is the worker of a pool a member creates,
     * and so a member of the creator's contract.
     */
    public static boolean timerThreadOfAMember(Thread timerThread) {
        Member m = T.current();
        if (m.contract == T.root || m.foreign) return false;
        return !createdForTheJdk(timerThread, Kind.POOL);
    }

    /** Loads and links what {@link #created} needs, outside any hook. */
    public static void preload() {
        created(new Object());
        createdForTheJdk(new Object(), Kind.POOL);
        Pools.get(new Object());
        Adapters.forObject(new Object());
    }

    /**
     * {@code java.net.http.HttpClient} is in a module of the platform loader, which
     * the bootstrap path the agent puts this class on cannot see: by name only.
     */
    private static boolean isHttpClient(Object o) {
        return o.getClass().getName().equals("jdk.internal.net.http.HttpClientImpl");
    }

    /** {@code HttpClient.shutdownNow()} (JDK 21+), through the public type's method. */
    private static void shutdownHttpClient(Object o) throws ReflectiveOperationException {
        Class<?> api = Class.forName("java.net.http.HttpClient", false, o.getClass().getClassLoader());
        api.getMethod("shutdownNow").invoke(o);
    }

    private static boolean isVirtualThreadScheduler(ForkJoinPool p) {
        var f = p.getFactory();
        return f != null && f.getClass().getName().startsWith("java.lang.VirtualThread");
    }

    /**
     * Whether the first frame below {@code o}'s own constructors and API is
     * JDK code: then the JDK made it for itself (a shared delayer, an
     * {@code HttpClient}'s sockets), and it is never the contract's.
     */
    static boolean createdForTheJdk(Object o, Kind kind) {
        return WALKER.walk(new FirstCaller(o.getClass(), kind));
    }

    /**
     * The walk of {@link #createdForTheJdk}: whether the first of the top 32 frames outside
     * {@code own}'s API is JDK code (yes if there is none). A class, not a lambda: the agent
     * preloads it at start-up, where each lambda would be a class spun anew.
     */
    private static final class FirstCaller implements Function<Stream<StackWalker.StackFrame>, Boolean> {
        private final Class<?> own;
        private final Kind kind;

        FirstCaller(Class<?> own, Kind kind) {
            this.own = own;
            this.kind = kind;
        }

        @Override
        public Boolean apply(Stream<StackWalker.StackFrame> frames) {
            Iterator<StackWalker.StackFrame> it = frames.iterator();
            for (int n = 0; n < 32 && it.hasNext(); n++) {
                Class<?> k = it.next().getDeclaringClass();
                if (!apiOf(k, own, kind)) return isJdk(k);
            }
            return true;
        }
    }

    private static boolean apiOf(Class<?> k, Class<?> own, Kind kind) {
        if (k.isAssignableFrom(own)) return true;
        String n = k.getName();
        // the kernel, the agent's bridge, and the agent's facade in java.base (its lookup bridge: the
        // woven JDK code calls it, so it stands between the constructor and whoever called it)
        if (n.startsWith("io.jcontract.internal.") || n.startsWith("io.jcontract.agent.boot.")
                || n.equals(AGENT_FACADE) || n.startsWith("java.security.")) return true;
        return switch (kind) {
            case POOL -> n.startsWith("java.util.concurrent.") || n.startsWith("java.util.Timer");
            case CHANNEL -> n.startsWith("sun.nio.ch.") || n.startsWith("java.nio.channels.") || n.startsWith("java.net.");
            case HTTP_CLIENT -> n.startsWith("java.net.http.") || n.startsWith("jdk.internal.net.http.");
            case LIFECYCLE -> false;
        };
    }

    private static boolean isJdk(Class<?> k) {
        ClassLoader l = k.getClassLoader();
        if (l != null && l != ClassLoader.getPlatformClassLoader()) return false;
        String n = k.getName();
        return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.")
                || n.startsWith("com.sun.");
    }

    private void add(Object o, Kind kind, LifecycleAdapter a, Member creator) {
        Entry e = new Entry(o, kind, a);
        synchronized (this) {
            if (!closed) {
                if (isRecent(o)) return;
                entries.add(e);
                if (entries.size() >= sweepAt) sweep();
                if (kind == Kind.POOL) Pools.put(o, contract, creator);
                return;
            }
        }
        // created after the kill drained the list (or after the contract died): shut down at once
        KillReaper.start(contract.id + "-late", steps(List.of(e)));
    }

    /** A constructor that delegates to another ({@code this(...)}) returns twice for one object. */
    private boolean isRecent(Object o) {
        for (int i = entries.size() - 1, k = 0; i >= 0 && k < 4; i--, k++) if (entries.get(i).get() == o) return true;
        return false;
    }

    private void sweep() {
        entries.removeIf(en -> !en.live());
        sweepAt = Math.max(64, entries.size() * 2);
    }

    // ----------------------------------------------------------------- kill

    /** A whole-contract kill takes every entry; later creations are shut down at once. */
    synchronized List<Entry> drain() {
        closed = true;
        List<Entry> out = new ArrayList<>(entries);
        entries.clear();
        return out;
    }

    /** The contract died without a kill: nothing more is kept (nothing is shut down either). */
    synchronized void release() {
        closed = true;
        entries.clear();
    }

    /** What is owned now, newest last, for status. */
    synchronized List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) if (e.live()) out.add(e.kind.name().toLowerCase() + " " + e.what);
        return out;
    }

    /**
     * Rung 4's steps for {@code drained}: the lifecycle objects' stops and the
     * pools' shutdowns, started newest first and run concurrently (a library's
     * stop may wait for what another's ends, and a pool's workers, which ignore
     * interrupts while their pool runs, must not wait for a stop that hangs),
     * then HttpClients, then one step closing every channel, selector and
     * socket (channels before selectors).
     */
    static List<KillReaper.Step> steps(List<Entry> drained) {
        List<KillReaper.Step> out = new ArrayList<>();
        for (int i = drained.size() - 1; i >= 0; i--) {
            Entry e = drained.get(i);
            if (e.kind != Kind.LIFECYCLE || e.get() == null) continue;
            out.add(new KillReaper.Step("stop " + e.what, bound -> {
                Object o = e.get();
                if (o != null) e.adapter.stop(o, bound);
            }, true));
        }
        for (Entry e : drained) {
            if (e.kind != Kind.POOL || e.get() == null) continue;
            out.add(new KillReaper.Step((e.get() instanceof Timer ? "cancel " : "shutdownNow ") + e.what, bound -> {
                Object o = e.get();
                if (o instanceof ExecutorService ex) ex.shutdownNow();
                else if (o instanceof Timer t) t.cancel();
            }, true));
        }
        for (Entry e : drained) {
            if (e.kind != Kind.HTTP_CLIENT || e.get() == null) continue;
            out.add(new KillReaper.Step("shutdownNow " + e.what, bound -> {
                Object h = e.get();
                if (h != null) shutdownHttpClient(h);
            }));
        }
        List<Entry> channels = new ArrayList<>();
        for (Entry e : drained) if (e.kind == Kind.CHANNEL && e.live()) channels.add(e);
        if (!channels.isEmpty()) {
            channels.sort((x, y) -> Boolean.compare(x.get() instanceof Selector, y.get() instanceof Selector));
            out.add(new KillReaper.Step("close " + channels.size() + " channels, selectors and sockets", bound -> {
                Exception first = null;
                for (Entry e : channels) {
                    try {
                        if (e.get() instanceof Closeable cl) cl.close();
                    } catch (Exception x) {
                        if (first == null) first = x;
                    }
                }
                if (first != null) throw first;
            }));
        }
        return out;
    }

    // ----------------------------------------------------------------- pool workers

    /**
     * Which contract each owned pool belongs to, weakly on both sides, and what
     * its workers inherit (the creator's id, credential and group).
     */
    static final class Pools {
        private static final ReferenceQueue<Object> GONE = new ReferenceQueue<>();
        private static final ConcurrentHashMap<Key, Origin> MAP = new ConcurrentHashMap<>();

        record Origin(WeakReference<ContractImpl> contract, long parent, Credential credential, long group) {
        }

        private static final class Key extends WeakReference<Object> {
            final int hash;

            Key(Object o, ReferenceQueue<Object> q) {
                super(o, q);
                hash = System.identityHashCode(o);
            }

            @Override
            public int hashCode() {
                return hash;
            }

            @Override
            public boolean equals(Object other) {
                if (this == other) return true;
                return other instanceof Key k && k.hash == hash && k.get() != null && k.get() == get();
            }
        }

        static void put(Object pool, ContractImpl c, Member creator) {
            for (Object k; (k = GONE.poll()) != null; ) MAP.remove(k);
            MAP.put(new Key(pool, GONE), new Origin(new WeakReference<>(c), creator.id, creator.credential(), creator.group));
        }

        static Origin get(Object pool) {
            return MAP.isEmpty() ? null : MAP.get(new Key(pool, null));
        }
    }

    /**
     * A pool's worker {@code t} is about to start: if the pool is owned by a live,
     * unkilled contract, {@code t} is forked as a member of it (whoever triggered
     * the start) and the member is returned; else null (the worker is no member).
     */
    public static Member forkWorker(Thread t, Object pool) {
        Pools.Origin o = Pools.get(pool);
        if (o == null) return null;
        ContractImpl c = o.contract().get();
        if (c == null) return null;
        Member m = Member.forWorker(t, c, o.parent(), o.credential(), o.group());
        return c.joinWorker(m) ? m : null;
    }

    /** Whether {@code pool} is owned by a contract (live or not). */
    public static boolean isOwned(Object pool) {
        Pools.Origin o = Pools.get(pool);
        return o != null && o.contract().get() != null;
    }
}
