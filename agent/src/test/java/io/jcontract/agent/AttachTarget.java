package io.jcontract.agent;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * The target JVM of {@link DynamicAttachTest}: started without the agent, it
 * prints "ready" and touches no jcontract class until it reads "go" (after
 * the test has attached the agent). Then unmodified code starts a thread and
 * a pooled task inside a new contract and prints what the contract saw.
 */
public final class AttachTarget {
    private AttachTarget() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("ready");
        System.out.flush();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("go")) Scenario.run();
            else if (line.equals("quit")) return;
        }
    }

    /** Loaded only after the attach: the first use of jcontract classes is in here. */
    static final class Scenario {
        static void run() throws Exception {
            var terms = io.jcontract.ContractTemplate.process()
                    .informative(io.jcontract.EventType.FORK, io.jcontract.EventType.EXIT);
            int[] seen = new int[2];
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            io.jcontract.Contract c;
            try (var a = terms.activate()) {
                new Thread(() -> {                                    // plain Thread.start: the agent forks it
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    seen[0] = io.jcontract.Contracts.current().id();
                    try {
                        pool.submit(() -> seen[1] = io.jcontract.Contracts.current().id()).get();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }).start();
                c = io.jcontract.Contracts.latest();
            }
            try (var ev = c.events()) {
                go.countDown();
                StringBuilder events = new StringBuilder();
                for (;;) {
                    io.jcontract.ContractEvent e = ev.take(java.time.Duration.ofSeconds(10));
                    events.append(' ').append(e.getClass().getSimpleName());
                    if (e instanceof io.jcontract.ContractEvent.Empty) break;
                }
                System.out.println("contract " + c.view().id() + " thread " + seen[0] + " task " + seen[1]
                        + " root " + io.jcontract.Contracts.current().id() + " events" + events);
            } finally {
                c.abandon();
                pool.shutdown();
            }
            System.out.flush();
        }
    }
}
