package io.jcontract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14's leak test: over 200,000 members with kills, orphans, pooled tasks, forgotten
 * listeners (per contract, and 1,000 bundles opened first), a 5,000-contract transfer chain, and plain virtual threads (not started by jcontract,
 * no agent) creating contracts. Afterwards nothing of it is left:
 *
 * <ul>
 * <li>the table: none of the contracts made here is live, and {@link Contracts#stats()} counts no
 *     more contracts, members, pending tasks, listeners or kept events than before;</li>
 * <li>status: the root's {@code status(ALL)} inherits none of them;</li>
 * <li>the heap: a class histogram after a full GC ({@code GC.class_histogram} through the
 *     {@code DiagnosticCommand} MBean) has no more instances of any {@code io.jcontract} class than
 *     before the scenario, give or take {@link #SLACK};</li>
 * <li>threads: the foreign owners shared at most one watcher thread, and no platform thread was
 *     started per foreign owner.</li>
 * </ul>
 *
 * The baseline is taken in the test (the table is global and this JVM runs other tests first);
 * each phase runs in its own method so that no handle stays on the test's stack.
 */
@Timeout(120)
class ScaleLeakTest {
    static final int KILLED_CONTRACTS = 100, KILLED_MEMBERS = 500;      // 50,000 members, killed
    static final int ORPHAN_CONTRACTS = 100, ORPHAN_MEMBERS = 500;      // 50,000 members, orphaned
    static final int POOLED_CONTRACTS = 100, POOLED_TASKS = 500;        // 50,000 pooled tasks (a quarter killed)
    static final int CHAIN = 5_000;                                     // 5,000 contracts, transfer = previous
    static final int FOREIGN_OWNERS = 1_000, FOREIGN_MEMBERS = 45;      // 45,000 members of foreign owners' contracts
    static final int FORGOTTEN_BUNDLES = 1_000;
    /** Instances of one io.jcontract class the scenario may add (lazily made singletons, caches). */
    static final int SLACK = 16;
    static final Duration WAIT = Duration.ofSeconds(30);

    /** Every contract made here, by id (ints: no handle is kept). */
    private final Set<Integer> created = ConcurrentHashMap.newKeySet();
    /** Member bodies and pooled tasks that ran or were forked. */
    private final AtomicLong members = new AtomicLong();

    @Test
    void twoHundredThousandMembersLeaveNothingReachable() throws Exception {
        TableStats before = Contracts.stats();
        Map<String, Long> heapBefore = histogram();
        long watchersBefore = watcherThreads();

        forgottenBundles();
        killedContracts();
        orphanedContracts();
        pooledTasks();
        transferChain();
        long platformAdded = foreignOwners();

        awaitGone();                                            // every member has exited
        assertTrue(members.get() >= 200_000, members.get() + " members");

        // The table.
        TableStats after = awaitStats(before);
        String change = before + " -> " + after;
        assertTrue(after.liveContracts() <= before.liveContracts(), "live contracts: " + change);
        assertTrue(after.members() <= before.members(), "members: " + change);
        assertEquals(0, after.pendingTasks(), "pending tasks: " + change);
        assertTrue(after.listeners() <= before.listeners(), "listeners: " + change);
        assertTrue(after.retainedEvents() <= before.retainedEvents(), "retained events: " + change);

        // Status: the root holds none of them as inherited contracts.
        ContractStatus root = Contracts.current().status(StatusDetail.ALL);
        assertTrue(root.inherited().stream().noneMatch(created::contains),
                "the root inherited contracts of the scenario: " + root.inherited());

        // Threads: one watcher for every foreign owner, no platform thread each.
        assertTrue(watcherThreads() - watchersBefore <= 1, "owner watcher threads: " + watcherThreads());
        assertTrue(platformAdded < FOREIGN_OWNERS / 10,
                platformAdded + " platform threads added while " + FOREIGN_OWNERS + " foreign owners held contracts");

        // The heap. Forgotten listeners are closed by a Cleaner after the GC that finds them
        // unreachable, and their queues go at the next one: histograms until nothing grew, or the deadline.
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Long> grown;
        int histograms = 1;
        while (!(grown = grown(heapBefore, histogram())).isEmpty() && System.nanoTime() < deadline) {
            histograms++;
            LockSupport.parkNanos(20_000_000);
        }
        System.out.println("ScaleLeakTest: " + members.get() + " members in " + created.size() + " contracts; table "
                + change + "; " + histograms + " histogram(s) until no io.jcontract class grew");
        if (!grown.isEmpty())
            fail("io.jcontract instances still reachable after " + histograms + " full GCs over "
                    + WAIT.toSeconds() + " s, beyond the baseline (class = instances added): " + grown);
    }

    // ------------------------------------------------------------------ phases

    /** Contracts of parked members, killed to EMPTY; each has a listener that is never closed. */
    private void killedContracts() throws InterruptedException {
        for (int i = 0; i < KILLED_CONTRACTS; i++) {
            CountDownLatch ready = new CountDownLatch(KILLED_MEMBERS);
            Contract c = startGroup(ContractTemplate.process(), KILLED_MEMBERS, () -> {
                ready.countDown();
                while (!Thread.currentThread().isInterrupted()) LockSupport.park();
            });
            assertTrue(ready.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            c.events();                                         // forgotten: never closed
            KillReport r = c.kill().awaitEmpty(WAIT);
            assertTrue(r.empty(), "contract " + c.id() + ": " + r.stragglers().size() + " stragglers");
            c.abandon();
            assertEquals(ContractState.DEAD, c.state());
        }
    }

    /** Contracts abandoned while their members still run (ORPHAN), which then end on their own. */
    private void orphanedContracts() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ready = new CountDownLatch(ORPHAN_CONTRACTS * ORPHAN_MEMBERS);
        List<Contract> orphans = new ArrayList<>();
        for (int i = 0; i < ORPHAN_CONTRACTS; i++) {
            orphans.add(startGroup(ContractTemplate.process(), ORPHAN_MEMBERS, () -> {
                ready.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        assertTrue(ready.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        for (Contract c : orphans) {
            if (c.id() % 3 == 0) c.reliableEvents();            // forgotten: never closed
            c.abandon();
            assertEquals(ContractState.ORPHAN, c.state(), "contract " + c.id() + " abandoned with members");
        }
        release.countDown();
        for (Contract c : orphans) awaitState(c, ContractState.DEAD);
    }

    /**
     * Pooled tasks: a member of each contract submits its tasks to one shared wrapped pool and
     * waits for them; every fourth contract is killed while its tasks are pending or running.
     */
    private void pooledTasks() throws Exception {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        ExecutorService wrapped = ContractExecutors.wrap(pool);
        try {
            for (int i = 0; i < POOLED_CONTRACTS; i++) {
                boolean kill = i % 4 == 0;
                CountDownLatch submitted = new CountDownLatch(1);
                Contract c = startGroup(ContractTemplate.process(), 1, () -> {
                    List<Future<?>> fs = new ArrayList<>(POOLED_TASKS);
                    for (int k = 0; k < POOLED_TASKS; k++) {
                        fs.add(wrapped.submit(() -> { }));
                        members.incrementAndGet();
                    }
                    submitted.countDown();
                    try {
                        for (Future<?> f : fs) f.get();
                    } catch (Exception e) {
                        // killed: the pending tasks were cancelled
                    }
                });
                assertTrue(submitted.await(WAIT.toSeconds(), TimeUnit.SECONDS));
                if (kill) assertTrue(c.kill().awaitEmpty(WAIT).empty(), "pooled contract " + c.id());
                else awaitEmpty(c);
                c.abandon();
                assertEquals(ContractState.DEAD, c.state());
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    /** A restart chain: each contract is made with transfer = the previous one. */
    private void transferChain() throws InterruptedException {
        Contract previous = null;
        for (int i = 0; i < CHAIN; i++) {
            ContractTemplate terms = ContractTemplate.process().cookie(i);
            if (previous != null) terms = terms.transfer(previous);
            Contract c = startGroup(terms, 1, () -> { });
            awaitEmpty(c);
            previous = c;
        }
        previous.abandon();
    }

    /**
     * Plain virtual threads, started with the JDK API, each creating a contract and ending
     * without abandoning it: the table watches them (one watcher) and abandons their contracts.
     * Returns how many platform threads were added while every owner held its contract.
     */
    private long foreignOwners() throws InterruptedException {
        long platformBefore = Thread.getAllStackTraces().size();
        CountDownLatch holding = new CountDownLatch(FOREIGN_OWNERS), end = new CountDownLatch(1);
        List<Thread> owners = new ArrayList<>();
        for (int i = 0; i < FOREIGN_OWNERS; i++) {
            owners.add(Thread.ofVirtual().name("foreign-owner-" + i).start(() -> {
                try {
                    startGroup(ContractTemplate.process(), FOREIGN_MEMBERS, () -> { });
                    holding.countDown();
                    end.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        assertTrue(holding.await(WAIT.toSeconds(), TimeUnit.SECONDS), "foreign owners holding");
        long added = Thread.getAllStackTraces().size() - platformBefore;
        end.countDown();
        for (Thread t : owners) assertTrue(t.join(WAIT));
        return added;
    }

    /** Bundle listeners that are opened and forgotten (issue 14, defect 9): they see every event that follows. */
    private void forgottenBundles() {
        for (int i = 0; i < FORGOTTEN_BUNDLES; i++) Contracts.bundle();
    }

    // ------------------------------------------------------------------ helpers

    /**
     * A new contract from {@code terms}, held by the caller: its first member starts the other
     * {@code n - 1}; every member runs {@code body} and is counted.
     */
    private Contract startGroup(ContractTemplate terms, int n, Runnable body) {
        Runnable counted = () -> {
            members.incrementAndGet();
            body.run();
        };
        Contract c;
        try (var a = terms.activate()) {
            ContractThreads.startVirtual(() -> {
                for (int k = 1; k < n; k++) ContractThreads.startVirtual(counted);
                counted.run();
            });
            c = Contracts.latest();
        }
        created.add(c.id());
        return c;
    }

    private static void awaitEmpty(Contract c) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int spins = 0; !isEmpty(c.status(StatusDetail.ALL)); spins++) {
            if (System.nanoTime() > deadline) fail("contract " + c.id() + " did not empty");
            if (spins < 100) Thread.yield();
            else LockSupport.parkNanos(1_000_000);
        }
    }

    private static boolean isEmpty(ContractStatus s) {
        return s.members().isEmpty() && (s.pendingTasks() == null || s.pendingTasks() == 0);
    }

    private static void awaitState(Contract c, ContractState s) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (c.state() != s) {
            if (System.nanoTime() > deadline) fail("contract " + c.id() + " is " + c.state() + ", not " + s);
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Waits until none of the contracts made here is in the table. */
    private void awaitGone() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Integer> live;
        while (!(live = Contracts.ids().stream().filter(created::contains).toList()).isEmpty()) {
            if (System.nanoTime() > deadline)
                fail(live.size() + " contracts of the scenario still live, e.g. " + live.subList(0, Math.min(10, live.size())));
            LockSupport.parkNanos(5_000_000);
        }
    }

    /** The table's counts once they are back to the baseline (collecting garbage meanwhile), or at the deadline. */
    private static TableStats awaitStats(TableStats before) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        TableStats s;
        while (true) {
            s = Contracts.stats();
            boolean back = s.liveContracts() <= before.liveContracts() && s.members() <= before.members()
                    && s.pendingTasks() == 0 && s.listeners() <= before.listeners()
                    && s.retainedEvents() <= before.retainedEvents();
            if (back || System.nanoTime() > deadline) return s;
            System.gc();
            LockSupport.parkNanos(10_000_000);
        }
    }

    private static long watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("jcontract-owner-watch")).count();
    }

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+(\\S+)");

    /**
     * Instances per {@code io.jcontract} class after a full GC ({@code GC.class_histogram} runs
     * one), test classes excepted; hidden classes' addresses are cut off their names.
     */
    static Map<String, Long> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, Long> counts = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (!m.find()) continue;
            String name = m.group(2).replaceAll("/0x[0-9a-f]+", "");
            if (!name.startsWith("io.jcontract.") || name.startsWith(ScaleLeakTest.class.getName())) continue;
            counts.merge(name, Long.parseLong(m.group(1)), Long::sum);
        }
        return counts;
    }

    /** The classes with more than {@link #SLACK} instances beyond {@code before}, and by how many. */
    static Map<String, Long> grown(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> grown = new TreeMap<>();
        after.forEach((name, n) -> {
            long d = n - before.getOrDefault(name, 0L);
            if (d > SLACK) grown.put(name, d);
        });
        return grown;
    }
}
