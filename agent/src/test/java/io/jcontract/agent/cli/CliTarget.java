package io.jcontract.agent.cli;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.EventType;
import io.jcontract.Param;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JVM the command tests look at, started with the agent. It obeys
 * lines on standard input and answers each with one line:
 * {@code spawn} makes a contract (cookie 0x2a, aux "cli-test", NOORPHAN,
 * informative FORK and EXIT) whose member parks until {@code release};
 * {@code own} makes one whose member opens a server socket channel (owned by the contract) and
 * parks until {@code release}, and answers with the contract's id and what its status says it owns;
 * {@code crash} makes one whose member throws (a CORE event);
 * {@code straggle} makes one whose member waits for a lock (uninterruptibly,
 * deep in JDK frames) and kills it: the kill's report has that straggler
 * until {@code release} frees the lock;
 * {@code drop} abandons every contract it holds and forgets them, {@code abandon}
 * abandons them and keeps the handles (dead contracts stay referenced);
 * {@code quit} ends it.
 */
public final class CliTarget {
    private CliTarget() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        List<Contract> held = new ArrayList<>();
        List<Contract> kept = new ArrayList<>();
        CountDownLatch[] release = {new CountDownLatch(1)};
        List<ReentrantLock> locks = new ArrayList<>();
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        for (String line; (line = in.readLine()) != null; ) {
            switch (line) {
                case "spawn" -> {
                    CountDownLatch gate = release[0];
                    Thread t;
                    try (var a = ContractTemplate.process().cookie(0x2a).creatorAux("cli-test").params(Param.NOORPHAN)
                            .informative(EventType.FORK, EventType.EXIT).activate()) {
                        t = new Thread(() -> {
                            try {
                                gate.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }, "parked-worker");
                        t.start();
                    }
                    Contract c = Contracts.latest();
                    held.add(c);
                    System.out.println("spawned " + c.id() + " " + t.threadId());
                }
                case "own" -> {
                    CountDownLatch gate = release[0], opened = new CountDownLatch(1);
                    java.nio.channels.ServerSocketChannel[] channel = new java.nio.channels.ServerSocketChannel[1];
                    try (var a = ContractTemplate.process().activate()) {
                        new Thread(() -> {
                            try (var ch = java.nio.channels.ServerSocketChannel.open()) {
                                channel[0] = ch;
                                opened.countDown();
                                gate.await();
                            } catch (Exception e) {
                                opened.countDown();
                            }
                        }, "owning-worker").start();
                    }
                    Contract c = Contracts.latest();
                    held.add(c);
                    opened.await();
                    List<String> owned = c.view().status(io.jcontract.StatusDetail.ALL).owned();
                    System.out.println("owning " + c.id() + " " + (owned.isEmpty() ? "nothing" : owned.getFirst()));
                }
                case "crash" -> {
                    Thread t;
                    try (var a = ContractTemplate.process().activate()) {
                        t = new Thread(() -> {
                            throw new IllegalStateException("boom");
                        }, "crasher");
                        t.setUncaughtExceptionHandler((th, e) -> { });
                        t.start();
                    }
                    Contract c = Contracts.latest();
                    held.add(c);
                    t.join();
                    System.out.println("crashed " + c.id() + " " + t.threadId());
                }
                case "straggle" -> {
                    ReentrantLock lock = new ReentrantLock();
                    lock.lock();
                    locks.add(lock);
                    Thread t;
                    try (var a = ContractTemplate.process().activate()) {
                        t = new Thread(() -> {
                            lock.lock();
                            lock.unlock();
                        }, "straggler");
                        t.start();
                    }
                    Contract c = Contracts.latest();
                    held.add(c);
                    while (!lock.hasQueuedThread(t)) Thread.onSpinWait();
                    int left = c.kill().awaitEmpty(Duration.ofMillis(100)).stragglers().size();
                    System.out.println("straggling " + c.id() + " " + t.threadId() + " " + left);
                }
                case "release" -> {
                    for (ReentrantLock lock : locks) lock.unlock();
                    locks.clear();
                    release[0].countDown();
                    release[0] = new CountDownLatch(1);
                    System.out.println("released");
                }
                case "abandon" -> {
                    for (Contract c : held) c.abandon();
                    kept.addAll(held);
                    held.clear();
                    System.out.println("abandoned");
                }
                case "drop" -> {
                    for (Contract c : held) c.abandon();
                    held.clear();
                    System.out.println("dropped");
                }
                case "quit" -> {
                    return;
                }
                default -> System.out.println("unknown " + line);
            }
            System.out.flush();
        }
    }
}
