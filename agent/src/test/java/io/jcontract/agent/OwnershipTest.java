package io.jcontract.agent;

import io.jcontract.Contract;
import io.jcontract.ContractStatus;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.KillReport;
import io.jcontract.MemberInfo;
import io.jcontract.StatusDetail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 12 items 1 and 4 under the agent: what a member creates is its
 * contract's (pools, timers, sockets); the workers of an owned pool are
 * members, idle or busy; a kill shuts owned pools down and closes owned
 * sockets, and leaves pools created outside alone.
 */
@Timeout(60)
class OwnershipTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    /** Starts one member that runs {@code body} with a place to leave what it made; returns its contract. */
    private static <T> Contract inContract(AtomicReference<T> made, CountDownLatch ready, Consumer<AtomicReference<T>> body) {
        try (var a = ContractTemplate.process().activate()) {
            new Thread(() -> body.accept(made), "owner-test-member").start();
            Contract c = Contracts.latest();
            try {
                assertTrue(ready.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the member made its things");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return c;
        }
    }

    private static List<String> memberNames(Contract c) {
        ContractStatus s = c.status(StatusDetail.ALL);
        return s.members().stream().map(MemberInfo::name).toList();
    }

    private static void parkUninterruptibly(CountDownLatch l) {
        while (l.getCount() > 0) {
            try {
                l.await();
            } catch (InterruptedException swallowed) {
                // a member that ignores the kill's interrupt
            }
        }
    }

    @Test
    void anOwnedPoolsIdleWorkersAreMembersAndAKillShutsThePoolDown() throws Exception {
        AtomicReference<ExecutorService> pool = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        Contract c = inContract(pool, ready, ref -> {
            ExecutorService p = Executors.newFixedThreadPool(2, r -> new Thread(r, "owned-fixed"));
            ref.set(p);
            try {
                p.submit(() -> { }).get();
                p.submit(() -> { }).get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            ready.countDown();
        });
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (memberNames(c).stream().noneMatch("owned-fixed"::equals)) {
                assertTrue(System.nanoTime() - deadline < 0, "an idle worker of the owned pool is a member: " + memberNames(c));
                Thread.onSpinWait();
            }
            KillReport r = c.kill().awaitEmpty(WAIT);
            assertTrue(r.empty(), r.toString());
            assertTrue(pool.get().isShutdown(), "the owned pool was shut down");
            assertTrue(pool.get().awaitTermination(10, TimeUnit.SECONDS));
        } finally {
            pool.get().shutdownNow();
            c.abandon();
        }
    }

    @Test
    void anOwnedScheduledPoolAndTimerAreShutDownAndTheirThreadsWereMembers() throws Exception {
        AtomicReference<Object[]> made = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        Contract c = inContract(made, ready, ref -> {
            ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "owned-sched"));
            s.scheduleAtFixedRate(() -> { }, 0, 10, TimeUnit.MILLISECONDS);
            Timer t = new Timer("owned-timer");
            t.schedule(new TimerTask() {
                @Override
                public void run() {
                }
            }, 0, 10);
            ref.set(new Object[] {s, t});
            ready.countDown();
        });
        ScheduledExecutorService s = (ScheduledExecutorService) made.get()[0];
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!memberNames(c).containsAll(List.of("owned-sched", "owned-timer"))) {
                assertTrue(System.nanoTime() - deadline < 0, "the pool's and the timer's threads are members: " + memberNames(c));
                Thread.onSpinWait();
            }
            KillReport r = c.kill().awaitEmpty(WAIT);
            assertTrue(r.empty(), r.toString());
            assertTrue(s.isShutdown());
            // EMPTY comes with each thread's exit hook, just before the thread is gone: wait (bounded)
            long gone = System.nanoTime() + WAIT.toNanos();
            while (Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals("owned-timer") || t.getName().equals("owned-sched"))) {
                assertTrue(System.nanoTime() - gone < 0, "the pool's and the timer's threads ended");
                Thread.onSpinWait();
            }
        } finally {
            s.shutdownNow();
            ((Timer) made.get()[1]).cancel();
            c.abandon();
        }
    }

    @Test
    void anOwnedServerSocketIsClosedByTheKillWhichWakesItsAccept() throws Exception {
        AtomicReference<ServerSocket> made = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        Contract c = inContract(made, ready, ref -> {
            try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                ref.set(ss);
                ready.countDown();
                while (!ss.isClosed()) {
                    try {
                        ss.accept().close();    // a platform thread in accept() ignores interrupts
                    } catch (java.io.IOException e) {
                        // closed by the kill: leave
                    }
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            KillReport r = c.kill().awaitEmpty(WAIT);
            assertTrue(r.empty(), "the kill closed the member's server socket: " + r);
            assertTrue(made.get().isClosed());
        } finally {
            made.get().close();
            c.abandon();
        }
    }

    @Test
    void aPoolCreatedOutsideIsNotShutDownByAKillOfAMemberThatUsedIt() throws Exception {
        ExecutorService outside = Executors.newFixedThreadPool(1);
        ForkJoinPool fj = new ForkJoinPool(1);
        try {
            CountDownLatch ready = new CountDownLatch(1), hold = new CountDownLatch(1);
            Contract c = inContract(new AtomicReference<>(), ready, ref -> {
                outside.submit(() -> { });
                fj.submit(() -> { });
                ready.countDown();
                parkUninterruptibly(hold);
            });
            hold.countDown();
            KillReport r = c.kill().awaitEmpty(WAIT);
            assertTrue(r.empty(), r.toString());
            assertFalse(outside.isShutdown(), "a pool the contract does not own keeps running");
            assertFalse(fj.isShutdown());
            assertEquals(42, outside.submit(() -> 42).get(10, TimeUnit.SECONDS));
            c.abandon();
        } finally {
            outside.shutdownNow();
            fj.shutdownNow();
        }
    }
}
