package io.jcontract.agent.boot;

import io.jcontract.ContractState;
import io.jcontract.internal.ContractImpl;
import io.jcontract.internal.ThreadDumpView;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import jdk.internal.vm.ThreadContainer;
import jdk.internal.vm.ThreadContainers;

/**
 * One contract as a JDK thread container, so that the JDK's own thread dump
 * ({@code jcmd <pid> Thread.dump_to_file -format=json}, {@code
 * HotSpotDiagnosticMXBean.dumpThreads}) shows it: its name carries the
 * contract id, state and service identity; its parent is the container of
 * the contract that holds it (so the tree reads root → restarter's regent →
 * one contract per service); its owner is the holder's thread; its threads
 * are the contract's running members (thread members, and pool workers while
 * they run one of its tasks).
 *
 * <h2>Theory of operation</h2>
 * Compiled against {@code jdk.internal.vm} (a separate source root of the
 * agent, built without {@code --release} and with the package exported),
 * loaded on the bootstrap path only after {@link ThreadDumpContainers} has
 * checked that this JDK's classes have the shape used here and the agent has
 * exported the package to the bootstrap loader's unnamed module.
 *
 * <p>The container is registered with {@code ThreadContainers} when it is
 * made (at contract creation) and is referenced by its contract only; the
 * JDK's registry is weak, so it goes when the contract is garbage. A
 * contract that is dead but still referenced (a handle kept) reports an
 * unregistered parent, {@link #GONE}, which the dump never reaches: it
 * disappears from the dump at once. Members are never started <em>in</em>
 * the container ({@code onStart}/{@code onExit} are not used): a member
 * thread stays in the JDK's root container too, and the dump lists it there
 * and here.
 *
 * <p>The JDK calls these methods on its dumping thread. They take no kernel
 * lock (see {@link ThreadDumpView}) and share one snapshot of the agent's
 * thread → member registry per {@value #SNAPSHOT_MILLIS} ms, so a dump of N
 * contracts and T threads costs O(N + T) registry reads, not O(N × T).
 */
final class ContractContainer extends ThreadContainer {
    static final long SNAPSHOT_MILLIS = 50;
    /** The parent of a dead contract: registered nowhere, so the dump never reaches its children. */
    static final ThreadContainer GONE = new Gone();

    private record Cached(long at, ThreadDumpView.Snapshot snapshot) { }

    private static volatile Cached cached;

    private final ContractImpl contract;
    private final Object key;

    ContractContainer(ContractImpl contract) {
        super(true);
        this.contract = contract;
        this.key = ThreadContainers.registerContainer(this);
    }

    /** Installs the factory: a container for every live contract and every later one (by reflection, from {@link ThreadDumpContainers}). */
    static void install() {
        Factory f = new Factory();
        ThreadDumpView.install(f, f);
    }

    /** Makes a contract's container, and deregisters one that lost the race (a class, not lambdas: this runs in premain). */
    private static final class Factory implements Function<ContractImpl, Object>, Consumer<Object> {
        @Override
        public Object apply(ContractImpl contract) {
            return new ContractContainer(contract);
        }

        @Override
        public void accept(Object lost) {
            ((ContractContainer) lost).deregister();
        }
    }

    /** Leaves the JDK's registry (a container that lost the race to be its contract's). */
    void deregister() {
        ThreadContainers.deregisterContainer(key);
    }

    private static ThreadDumpView.Snapshot snapshot() {
        long now = System.nanoTime();
        Cached c = cached;
        if (c == null || now - c.at() > SNAPSHOT_MILLIS * 1_000_000L) {
            c = new Cached(now, ThreadDumpView.snapshot());
            cached = c;
        }
        return c.snapshot();
    }

    @Override
    public ThreadContainer parent() {
        if (ThreadDumpView.state(contract) == ContractState.DEAD) return GONE;
        ContractImpl holder = ThreadDumpView.holderContract(contract);
        if (holder != null && !ThreadDumpView.isRoot(holder)
                && ThreadDumpView.container(holder) instanceof ContractContainer p
                && ThreadDumpView.state(holder) != ContractState.DEAD)
            return p;
        return ThreadContainers.root();
    }

    @Override
    public Thread owner() {
        return ThreadDumpView.holderThread(contract, snapshot());
    }

    @Override
    public Stream<Thread> threads() {
        List<Thread> members = snapshot().members().get(contract);
        return members == null ? Stream.empty() : members.stream();
    }

    @Override
    public String name() {
        String identity = ThreadDumpView.identity(contract);
        String aux = ThreadDumpView.aux(contract);
        String s = "contract " + ThreadDumpView.id(contract) + " " + ThreadDumpView.state(contract)
                + (identity == null || identity.isEmpty() ? "" : " " + identity)
                + (aux == null || aux.isEmpty() ? "" : " (" + aux + ")");
        // JDK 21's JSON writer does not escape: keep the name plain
        return s.replace('"', '\'').replace('\\', '/');
    }

    @Override
    public String toString() {
        return name();
    }

    /** See {@link #GONE}. */
    private static final class Gone extends ThreadContainer {
        Gone() {
            super(true);
        }

        @Override
        public ThreadContainer parent() {
            return null;
        }

        @Override
        public Stream<Thread> threads() {
            return Stream.empty();
        }

        @Override
        public String toString() {
            return "jcontract dead contracts";
        }
    }
}
