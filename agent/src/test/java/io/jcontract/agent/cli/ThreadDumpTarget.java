package io.jcontract.agent.cli;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.ContractThreads;
import io.jcontract.Contracts;
import io.jcontract.restarter.Restarter;
import io.jcontract.restarter.ServiceSpec;
import io.jcontract.restarter.ServiceState;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The JVM {@link ThreadDumpTest} dumps, started with the agent: a restarter
 * "dump" running two services, {@code svc:/test/alpha} (two member threads,
 * {@code alpha-member-0/1}) and {@code svc:/test/beta} (one member thread and
 * a pooled task running on a worker of a pool made outside any contract),
 * and one contract held by main ({@code explicit-member}). It prints
 * {@code ready <pid> alpha=<id> beta=<id> explicit=<id>}, then obeys
 * {@code kill} (kill and abandon the explicit contract, wait for its member
 * to end: {@code killed}) and {@code quit}.
 */
public final class ThreadDumpTarget {
    private ThreadDumpTarget() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch taskRunning = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(1, r -> new Thread(r, "dump-pool-worker"));
        Restarter restarter = Restarter.builder().name("dump").escalation(s -> { }).build();
        restarter.add(ServiceSpec.builder("svc:/test/alpha").start(() -> {
            for (int i = 0; i < 2; i++) ContractThreads.start(Thread.ofPlatform().name("alpha-member-" + i), () -> park(release));
        }).build());
        restarter.add(ServiceSpec.builder("svc:/test/beta").start(() -> {
            ContractThreads.start(Thread.ofPlatform().name("beta-member"), () -> park(release));
            pool.execute(() -> {
                taskRunning.countDown();
                park(release);
            });
        }).build());
        restarter.start();
        int alpha = restarter.awaitState("svc:/test/alpha", ServiceState.ONLINE, Duration.ofSeconds(30)).contractId();
        int beta = restarter.awaitState("svc:/test/beta", ServiceState.ONLINE, Duration.ofSeconds(30)).contractId();
        if (!taskRunning.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("the pooled task did not run");

        Thread explicitMember;
        try (var a = ContractTemplate.process().activate()) {
            explicitMember = new Thread(() -> park(new CountDownLatch(1)), "explicit-member");
            explicitMember.start();
        }
        Contract explicit = Contracts.latest();
        System.out.println("ready " + ProcessHandle.current().pid() + " alpha=" + alpha + " beta=" + beta
                + " explicit=" + explicit.id());
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            switch (line) {
                case "kill" -> {
                    explicit.kill();
                    explicit.abandon();
                    explicitMember.join(30_000);
                    // the handle stays referenced: a dead contract must leave the dump even so
                    System.out.println((explicitMember.isAlive() ? "still alive " : "killed ") + explicit.id()
                            + " live=" + Contracts.ids().contains(explicit.id()));
                }
                case "quit" -> {
                    release.countDown();
                    restarter.stop(Duration.ofSeconds(30));
                    pool.shutdown();
                    return;
                }
                default -> System.out.println("unknown " + line);
            }
            System.out.flush();
        }
    }

    private static void park(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            // killed
        }
    }
}
