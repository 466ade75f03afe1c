package io.jcontract;

import static io.jcontract.LifecycleTestKit.await;
import static io.jcontract.LifecycleTestKit.awaitIgnoringInterrupts;
import static io.jcontract.LifecycleTestKit.is;
import static io.jcontract.LifecycleTestKit.join;
import static io.jcontract.LifecycleTestKit.ofType;
import static io.jcontract.LifecycleTestKit.readUntil;
import static io.jcontract.LifecycleTestKit.verbose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.ContractEvent.Exit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Kill in the JVM (SEMANTICS Part 2): mark and interrupt, no forks after, closeables, the report. */
@Timeout(20)
class KillTest {
    private final LifecycleTestKit.Cleanup cleanup = new LifecycleTestKit.Cleanup();

    @AfterEach
    void cleanUp() throws InterruptedException {
        cleanup.close();
        ContractTemplate.clear();
    }

    /**
     * Starts, as members of one new contract, one thread per body: the first
     * from the test thread with the template active, the others by that first
     * member (so they join its contract). Returns once every thread is started.
     */
    private Contract members(ContractTemplate terms, List<Thread> started, List<Thread.Builder> builders,
                             List<Runnable> bodies) {
        CountDownLatch allStarted = cleanup.latch();
        Contract c;
        try (var active = terms.activate()) {
            Runnable firstBody = bodies.get(0);
            Thread first = ContractThreads.start(builders.get(0), () -> {
                for (int i = 1; i < bodies.size(); i++) {
                    synchronized (started) {
                        started.add(cleanup.thread(ContractThreads.start(builders.get(i), bodies.get(i))));
                    }
                }
                allStarted.countDown();
                firstBody.run();
            });
            synchronized (started) {
                started.add(0, cleanup.thread(first));
            }
            c = cleanup.contract(Contracts.latest());
        }
        await(allStarted);
        return c;
    }

    @Test
    void killMarksAndInterruptsEveryMemberVirtualAndPlatform() throws Exception {
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch hold = cleanup.latch(), up = cleanup.latch(4), interrupted = cleanup.latch(4);
            CountDownLatch proceed = cleanup.latch();
            AtomicInteger wokeWithInterrupt = new AtomicInteger();
            Object monitor = new Object();
            Runnable latchWait = () -> {
                up.countDown();
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    wokeWithInterrupt.incrementAndGet();
                }
                interrupted.countDown();
                awaitIgnoringInterrupts(proceed);
            };
            Runnable sleeper = () -> {
                up.countDown();
                try {
                    Thread.sleep(Duration.ofMinutes(5));
                } catch (InterruptedException e) {
                    wokeWithInterrupt.incrementAndGet();
                }
                interrupted.countDown();
                awaitIgnoringInterrupts(proceed);
            };
            Runnable waiter = () -> {
                synchronized (monitor) {
                    up.countDown();
                    try {
                        monitor.wait(Duration.ofMinutes(5).toMillis());
                    } catch (InterruptedException e) {
                        wokeWithInterrupt.incrementAndGet();
                    }
                }
                interrupted.countDown();
                awaitIgnoringInterrupts(proceed);
            };
            List<Thread> threads = new ArrayList<>();
            Contract c = members(verbose(), threads,
                    List.of(Thread.ofVirtual(), Thread.ofPlatform(), Thread.ofVirtual(), Thread.ofPlatform()),
                    List.of(latchWait, sleeper, waiter, latchWait));
            await(up);
            assertEquals(4, c.status(StatusDetail.ALL).members().size());

            Contract.KillHandle kill = c.kill();
            assertNotNull(kill);
            await(interrupted);
            assertEquals(4, wokeWithInterrupt.get(), "every member woke with InterruptedException");
            ContractStatus s = c.status(StatusDetail.ALL);
            assertEquals(4, s.members().size(), "nobody has left yet");
            assertTrue(s.members().stream().allMatch(MemberInfo::killed), "every member is marked: " + s.members());
            assertEquals(ContractState.OWNED, s.state(), "a kill does not abandon");

            proceed.countDown();
            KillReport report = kill.awaitEmpty(Duration.ofSeconds(5));
            assertTrue(report.empty(), report.toString());
            assertTrue(report.stragglers().isEmpty());
            assertEquals(c.id(), report.contractId());

            List<ContractEvent> events = readUntil(bundle, c.id(), is(EventType.EMPTY));
            List<ContractEvent> exits = ofType(events, EventType.EXIT);
            assertEquals(threads.stream().map(Thread::threadId).collect(Collectors.toSet()),
                    exits.stream().map(ContractEvent::member).collect(Collectors.toSet()));
            for (ContractEvent e : exits) assertEquals(Exit.STATUS_KILLED, ((Exit) e).status(), e.toString());
            assertTrue(ofType(events, EventType.CORE).isEmpty());
            assertEquals(ContractState.OWNED, c.state());
        }
    }

    @Test
    void aKilledMemberCannotStartAThreadOrSubmitATask() throws Exception {
        ExecutorService raw = Executors.newSingleThreadExecutor();
        ExecutorService pool = ContractExecutors.wrap(raw);
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch hold = cleanup.latch(), up = cleanup.latch(), tried = cleanup.latch();
            CountDownLatch proceed = cleanup.latch();
            AtomicBoolean ran = new AtomicBoolean();
            List<Throwable> failures = new ArrayList<>();
            AtomicReference<Throwable> latestAfter = new AtomicReference<>();
            Thread member;
            Contract c;
            try (var active = verbose().activate()) {
                member = cleanup.thread(ContractThreads.startVirtual(() -> {
                    up.countDown();
                    try {
                        hold.await();
                    } catch (InterruptedException killed) {
                        // killed: now every way to fork must fail
                    }
                    List<Runnable> attempts = List.of(
                            () -> ContractThreads.startVirtual(() -> ran.set(true)),
                            () -> ContractThreads.startPlatform(() -> ran.set(true)),
                            () -> pool.submit(() -> ran.set(true)),
                            () -> pool.execute(() -> ran.set(true)),
                            () -> {
                                // even with a template active: no new contract either
                                try (var a = verbose().activate()) {
                                    ContractThreads.startVirtual(() -> ran.set(true));
                                }
                            });
                    for (Runnable attempt : attempts) {
                        try {
                            attempt.run();
                            failures.add(null);
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                    try {
                        Contracts.latest();
                    } catch (Throwable e) {
                        latestAfter.set(e);
                    }
                    tried.countDown();
                    awaitIgnoringInterrupts(proceed);
                }));
                c = cleanup.contract(Contracts.latest());
            }
            await(up);
            List<Integer> idsBefore = Contracts.ids();
            c.kill();
            await(tried);

            assertEquals(5, failures.size());
            for (Throwable f : failures) {
                ContractKilledException e = assertInstanceOf(ContractKilledException.class, f);
                assertEquals(ContractError.EAGAIN, e.error());
            }
            assertInstanceOf(NoSuchContractException.class, latestAfter.get(), "the killed member created nothing");
            assertEquals(idsBefore, Contracts.ids(), "no contract was created");
            ContractStatus s = c.status(StatusDetail.ALL);
            assertEquals(List.of(member.threadId()), s.members().stream().map(MemberInfo::id).toList(),
                    "nothing was added to the contract");
            assertEquals(0, s.pendingTasks());

            proceed.countDown();
            List<ContractEvent> events = readUntil(bundle, c.id(), is(EventType.EMPTY));
            assertEquals(1, ofType(events, EventType.FORK).size(), "only the first member's FORK: " + events);
            // Let the pool run anything it might have been handed, then check nothing ran.
            raw.submit(() -> { }).get(5, TimeUnit.SECONDS);
            assertFalse(ran.get());
        } finally {
            raw.shutdownNow();
        }
    }

    @Test
    void registeredCloseablesAreClosedOnKillExactlyOnce() throws Exception {
        CountDownLatch hold = cleanup.latch(), up = cleanup.latch();
        Contract c;
        try (var active = verbose().activate()) {
            cleanup.thread(ContractThreads.startVirtual(() -> {
                up.countDown();
                awaitIgnoringInterrupts(hold);
            }));
            c = cleanup.contract(Contracts.latest());
        }
        await(up);
        AtomicInteger first = new AtomicInteger(), failing = new AtomicInteger(), second = new AtomicInteger();
        c.register(first::incrementAndGet);
        c.register(() -> {
            failing.incrementAndGet();
            throw new IOException("close failed");
        });
        c.register(second::incrementAndGet);
        assertEquals(0, first.get() + failing.get() + second.get(), "nothing is closed before a kill");

        c.kill();       // closes run off the killer's thread (issue 12 item 5): wait for them, bounded
        awaitCount(first, 1);
        awaitCount(failing, 1);
        awaitCount(second, 1);      // a failing close does not stop the others

        c.kill();
        AtomicInteger late = new AtomicInteger();
        c.register(late::incrementAndGet);
        awaitCount(late, 1);        // registered after the kill: closed at once
        c.kill();
        CountDownLatch last = new CountDownLatch(1);
        c.register(last::countDown);
        await(last);                // every close before this one has ended
        assertEquals(1, first.get(), "closed at most once, even by a second kill");
        assertEquals(1, failing.get());
        assertEquals(1, second.get());
        assertEquals(1, late.get());
        hold.countDown();
    }

    private static void awaitCount(AtomicInteger n, int expected) {
        long deadline = System.nanoTime() + LifecycleTestKit.WAIT.toNanos();
        while (n.get() < expected) {
            assertTrue(System.nanoTime() - deadline < 0, "count stayed at " + n.get() + ", expected " + expected);
            LockSupport.parkNanos(1_000_000);
        }
        assertEquals(expected, n.get());
    }

    /**
     * A platform thread blocked in {@link ServerSocket#accept()} does not
     * wake on interrupt; closing the registered socket is what unblocks it.
     * The member keeps accepting until the socket is closed, so it leaves
     * only if the close happened.
     */
    @Test
    void closingARegisteredResourceUnblocksIoThatIgnoresInterrupts() throws Exception {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        CountDownLatch up = cleanup.latch();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Contract c;
        Thread member;
        try (var active = verbose().activate()) {
            member = cleanup.thread(ContractThreads.startPlatform(() -> {
                up.countDown();
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        // nobody connects
                    } catch (IOException e) {
                        ended.set(e);
                    }
                }
            }));
            c = cleanup.contract(Contracts.latest());
        }
        try {
            await(up);
            // Wait (bounded) until the member is inside accept(), so that the kill finds it blocked there.
            long deadline = System.nanoTime() + LifecycleTestKit.WAIT.toNanos();
            while (Arrays.stream(member.getStackTrace()).noneMatch(e -> e.getMethodName().contains("accept"))) {
                assertTrue(System.nanoTime() - deadline < 0, "the member never blocked in accept()");
                LockSupport.parkNanos(1_000_000);
            }
            c.register(server);
            KillReport report = c.kill().awaitEmpty(Duration.ofSeconds(5));
            assertTrue(report.empty(), report.toString());
            assertTrue(server.isClosed());
            assertNotNull(ended.get(), "accept() ended with an exception when the socket was closed");
        } finally {
            server.close();
        }
    }

    @Test
    void awaitEmptyReportsEmptyWhenEveryMemberHonoursTheInterrupt() throws Exception {
        CountDownLatch hold = cleanup.latch(), up = cleanup.latch(3);
        Runnable body = () -> {
            up.countDown();
            try {
                hold.await();
            } catch (InterruptedException killed) {
                // leave
            }
        };
        List<Thread> threads = new ArrayList<>();
        Contract c = members(verbose(), threads, List.of(Thread.ofVirtual(), Thread.ofPlatform(), Thread.ofVirtual()),
                List.of(body, body, body));
        await(up);
        assertNotNull(c.status(StatusDetail.ALL));
        assertEquals(null, c.status(StatusDetail.ALL).lastKill(), "no kill yet");

        KillReport report = c.kill().awaitEmpty(Duration.ofSeconds(5));
        assertTrue(report.empty());
        assertTrue(report.stragglers().isEmpty());
        assertEquals(c.id(), report.contractId());
        assertFalse(report.elapsed().isNegative());
        assertTrue(report.elapsed().compareTo(Duration.ofSeconds(5)) < 0, report.elapsed().toString());
        assertTrue(c.status(StatusDetail.ALL).members().isEmpty());
        assertEquals(report, c.status(StatusDetail.ALL).lastKill());
        for (Thread t : threads) join(t);
    }

    @Test
    void aMemberThatSwallowsInterruptsIsReportedAsAStraggler() throws Exception {
        try (EventListener bundle = Contracts.bundle()) {
            CountDownLatch release = cleanup.latch(), up = cleanup.latch(3);
            Runnable polite = () -> {
                up.countDown();
                try {
                    release.await();
                } catch (InterruptedException killed) {
                    // leave
                }
            };
            Runnable stubborn = () -> {
                up.countDown();
                awaitIgnoringInterrupts(release);
            };
            List<Thread> threads = new ArrayList<>();
            Contract c = members(verbose(), threads,
                    List.of(Thread.ofVirtual().name("polite"), Thread.ofPlatform().name("stubborn-platform"),
                            Thread.ofVirtual().name("stubborn-virtual")),
                    List.of(polite, stubborn, stubborn));
            await(up);
            Thread politeThread = threads.stream().filter(t -> t.getName().equals("polite")).findFirst().orElseThrow();

            KillReport report = c.kill().awaitEmpty(Duration.ofMillis(200));
            assertFalse(report.empty(), report.toString());
            join(politeThread);
            assertEquals(Set.of("stubborn-platform", "stubborn-virtual"),
                    report.stragglers().stream().map(KillReport.Straggler::name).collect(Collectors.toSet()));
            for (KillReport.Straggler s : report.stragglers()) {
                Thread t = threads.stream().filter(x -> x.getName().equals(s.name())).findFirst().orElseThrow();
                assertEquals(t.threadId(), s.member());
                assertFalse(s.stack().isEmpty(), "a straggler's stack: " + s);
                assertTrue(s.stack().stream().anyMatch(e -> e.getMethodName().equals("awaitIgnoringInterrupts")),
                        "the stack shows where it is stuck: " + s.stack());
            }
            assertTrue(report.elapsed().compareTo(Duration.ofMillis(200)) >= 0, report.elapsed().toString());
            assertEquals(report, c.status(StatusDetail.ALL).lastKill(), "status keeps the last kill's report");

            release.countDown();
            List<ContractEvent> events = readUntil(bundle, c.id(), is(EventType.EMPTY));
            assertEquals(3, ofType(events, EventType.EXIT).size());
            for (ContractEvent e : ofType(events, EventType.EXIT))
                assertEquals(Exit.STATUS_KILLED, ((Exit) e).status());
            KillReport after = c.kill().awaitEmpty(Duration.ofSeconds(1));
            assertTrue(after.empty());
            assertTrue(after.stragglers().isEmpty());
            assertEquals(after, c.status(StatusDetail.ALL).lastKill());
        }
    }
}
