package io.jcontract.agent;

import io.jcontract.Contract;
import io.jcontract.ContractState;
import io.jcontract.ContractStatus;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.KillReport;
import io.jcontract.StatusDetail;
import io.jcontract.TableStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 14's leak test, the agent's half (core's {@code ScaleLeakTest} is the API's): plain JDK
 * code under the agent. Members start threads with {@code Thread.ofVirtual()} and
 * {@code new Thread}, hand tasks to a {@code ThreadPoolExecutor}, a {@code ForkJoinPool} and
 * {@code CompletableFuture.runAsync}; some contracts are killed with tasks still queued behind a
 * blocked one, the others end on their own; plain virtual threads (not members) make contracts
 * with a template and end without abandoning them. Afterwards: none of the contracts is live,
 * the table's counts are back, no {@code io.jcontract} class (core, agent, boot: the bridge's
 * pending entries included) has more instances after a full GC than before, and the foreign
 * owners shared one watcher thread.
 */
@Timeout(120)
class AgentLeakTest {
    static final int CONTRACTS = 200, THREADS = 100, TASKS = 150;   // 50,000 members and pending tasks
    static final int FOREIGN_OWNERS = 500, FOREIGN_MEMBERS = 20;    // 10,000 more
    static final int SLACK = 16;
    static final Duration WAIT = Duration.ofSeconds(30);

    private final Set<Integer> created = ConcurrentHashMap.newKeySet();
    private final AtomicLong members = new AtomicLong();

    @Test
    void plainCodeUnderTheAgentLeavesNothingReachable() throws Exception {
        TableStats before = Contracts.stats();
        Map<String, Long> heapBefore = histogram();
        long watchersBefore = watcherThreads();

        ThreadPoolExecutor tpe = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        ForkJoinPool fjp = new ForkJoinPool(2);
        try {
            for (int i = 0; i < CONTRACTS; i++) contract(i, tpe, fjp);
        } finally {
            tpe.shutdown();
            fjp.shutdown();
            assertTrue(tpe.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(fjp.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        long platformAdded = foreignOwners();

        awaitGone();
        assertTrue(members.get() >= 50_000, members.get() + " members and tasks");

        TableStats after = awaitStats(before);
        String change = before + " -> " + after;
        assertTrue(after.liveContracts() <= before.liveContracts(), "live contracts: " + change);
        assertTrue(after.members() <= before.members(), "members: " + change);
        assertEquals(0, after.pendingTasks(), "pending tasks: " + change);
        assertTrue(after.listeners() <= before.listeners(), "listeners: " + change);
        assertTrue(after.retainedEvents() <= before.retainedEvents(), "retained events: " + change);
        ContractStatus root = Contracts.current().status(StatusDetail.ALL);
        assertTrue(root.inherited().stream().noneMatch(created::contains), "the root inherited: " + root.inherited());
        assertTrue(watcherThreads() - watchersBefore <= 1, "owner watcher threads: " + watcherThreads());
        assertTrue(platformAdded < FOREIGN_OWNERS / 10,
                platformAdded + " platform threads added while " + FOREIGN_OWNERS + " foreign owners held contracts");

        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Long> grown;
        int histograms = 1;
        while (!(grown = grown(heapBefore, histogram())).isEmpty() && System.nanoTime() < deadline) {
            histograms++;
            LockSupport.parkNanos(20_000_000);
        }
        System.out.println("AgentLeakTest: " + members.get() + " members and tasks in " + created.size()
                + " contracts; table " + change + "; " + histograms + " histogram(s)");
        if (!grown.isEmpty())
            fail("io.jcontract instances still reachable after " + histograms + " full GCs, beyond the baseline "
                    + "(class = instances added): " + grown);
    }

    /**
     * A killed member whose exit parks (here on the contract's lock, which a status reader holds
     * over and over) must not leave its rung-3 back-off state behind: the agent's exit hook forgot
     * the state before the exit, and the park during the exit put a new one back, holding the
     * thread and its member for good (found by the test above under load: Member=19,
     * Reinterrupts$State=19).
     */
    @Test
    void aKilledMemberWhoseExitParksLeavesNoBackOffState() throws Exception {
        Map<String, Long> heapBefore = histogram();
        int n = 2_000;
        for (int round = 0; round < 5; round++) {
            CountDownLatch ready = new CountDownLatch(n);
            Contract c;
            try (var a = ContractTemplate.process().activate()) {
                Thread.ofVirtual().start(() -> {
                    for (int k = 1; k < n; k++) Thread.ofVirtual().start(() -> sleepUntilInterrupted(ready));
                    sleepUntilInterrupted(ready);
                });
                c = Contracts.latest();
            }
            AgentTest.await(ready);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread reader = Thread.ofPlatform().start(() -> {
                while (!stop.get()) c.status(StatusDetail.ALL);
            });
            KillReport r = c.kill().awaitEmpty(WAIT);
            stop.set(true);
            reader.join();
            assertTrue(r.empty(), r.stragglers().size() + " stragglers");
            c.abandon();
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        long states;
        do {
            Map<String, Long> now = histogram();
            states = now.getOrDefault("io.jcontract.agent.boot.Reinterrupts$State", 0L)
                    - heapBefore.getOrDefault("io.jcontract.agent.boot.Reinterrupts$State", 0L);
            if (states <= 0) break;
            LockSupport.parkNanos(20_000_000);
        } while (System.nanoTime() < deadline);
        assertTrue(states <= 0, states + " rung-3 back-off states (each holding a thread and its member) outlived their threads");
    }

    /** A member's body: sleep until interrupted, and return with the interrupt cleared (as swallowed). */
    private static void sleepUntilInterrupted(CountDownLatch ready) {
        ready.countDown();
        try {
            Thread.sleep(Duration.ofMinutes(10));
        } catch (InterruptedException e) {
            // cleared: the exit runs as a killed member not interrupted
        }
    }

    /**
     * One contract, made by starting its first member with the plain API while a template is
     * active. The member starts {@link #THREADS} threads and hands {@link #TASKS} tasks to the
     * pools; every third contract is killed while a blocked task holds its tasks in the queues.
     */
    private void contract(int i, ExecutorService tpe, ForkJoinPool fjp) throws InterruptedException {
        boolean kill = i % 3 == 0;
        CountDownLatch handedOver = new CountDownLatch(1), block = new CountDownLatch(1);
        Contract c;
        try (var a = ContractTemplate.process().activate()) {
            Thread.ofVirtual().start(() -> {
                members.incrementAndGet();
                List<Thread> ts = new ArrayList<>(THREADS);
                for (int k = 0; k < THREADS; k++) {
                    Runnable body = members::incrementAndGet;
                    ts.add(k % 10 == 0 ? new Thread(body) : Thread.ofVirtual().unstarted(body));
                    ts.get(k).start();
                }
                List<Future<?>> fs = new ArrayList<>(TASKS);
                if (kill) fs.add(tpe.submit(() -> {
                    block.await();
                    return null;
                }));
                for (int k = 0; k < TASKS; k++) {
                    Runnable task = members::incrementAndGet;
                    switch (k % 3) {
                        case 0 -> fs.add(tpe.submit(task));
                        case 1 -> fs.add(fjp.submit(task));
                        default -> fs.add(CompletableFuture.runAsync(task, fjp));
                    }
                }
                handedOver.countDown();
                try {
                    for (Thread t : ts) t.join();
                    for (Future<?> f : fs) f.get();
                } catch (Exception e) {
                    // killed
                }
            });
            c = Contracts.latest();
        }
        created.add(c.id());
        AgentTest.await(handedOver);
        if (kill) {
            KillReport r = c.kill().awaitEmpty(WAIT);
            assertTrue(r.empty(), "contract " + c.id() + ": " + r.stragglers().size() + " stragglers");
            block.countDown();
        } else {
            awaitEmpty(c);
        }
        c.abandon();
        assertEquals(ContractState.DEAD, c.state());
    }

    /** Plain virtual threads, not members, each making a contract and ending without abandoning it. */
    private long foreignOwners() throws InterruptedException {
        long platformBefore = Thread.getAllStackTraces().size();
        CountDownLatch holding = new CountDownLatch(FOREIGN_OWNERS), end = new CountDownLatch(1);
        List<Thread> owners = new ArrayList<>();
        for (int i = 0; i < FOREIGN_OWNERS; i++) {
            owners.add(Thread.ofVirtual().start(() -> {
                try {
                    try (var a = ContractTemplate.process().activate()) {
                        Thread.ofVirtual().start(() -> {
                            members.incrementAndGet();
                            for (int k = 1; k < FOREIGN_MEMBERS; k++) Thread.ofVirtual().start(members::incrementAndGet);
                        });
                        created.add(Contracts.latest().id());
                    }
                    holding.countDown();
                    end.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        AgentTest.await(holding);
        long added = Thread.getAllStackTraces().size() - platformBefore;
        end.countDown();
        for (Thread t : owners) assertTrue(t.join(WAIT));
        return added;
    }

    private static void awaitEmpty(Contract c) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int spins = 0; ; spins++) {
            ContractStatus s = c.status(StatusDetail.ALL);
            if (s.members().isEmpty() && (s.pendingTasks() == null || s.pendingTasks() == 0)) return;
            if (System.nanoTime() > deadline) fail("contract " + c.id() + " did not empty: " + s);
            if (spins < 100) Thread.yield();
            else LockSupport.parkNanos(1_000_000);
        }
    }

    private void awaitGone() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Integer> live;
        while (!(live = Contracts.ids().stream().filter(created::contains).toList()).isEmpty()) {
            if (System.nanoTime() > deadline)
                fail(live.size() + " contracts still live, e.g. " + live.subList(0, Math.min(10, live.size())));
            LockSupport.parkNanos(5_000_000);
        }
    }

    private static TableStats awaitStats(TableStats before) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            TableStats s = Contracts.stats();
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

    /** Instances per {@code io.jcontract} class after a full GC, this test's classes excepted. */
    static Map<String, Long> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, Long> counts = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (!m.find()) continue;
            String name = m.group(2).replaceAll("/0x[0-9a-f]+", "");
            if (!name.startsWith("io.jcontract.") || name.startsWith(AgentLeakTest.class.getName())) continue;
            counts.merge(name, Long.parseLong(m.group(1)), Long::sum);
        }
        return counts;
    }

    static Map<String, Long> grown(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> grown = new TreeMap<>();
        after.forEach((name, n) -> {
            long d = n - before.getOrDefault(name, 0L);
            if (d > SLACK) grown.put(name, d);
        });
        return grown;
    }
}
