package io.jcontract.restarter;

import io.jcontract.ContractThreads;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The JVM {@link SystemdNotifierTest} starts with {@code NOTIFY_SOCKET} in
 * its environment: a restarter with one essential service, driven by lines
 * on standard input ({@code crash}: into MAINTENANCE; {@code clear}; {@code stop}).
 */
public final class NotifyChild {
    private NotifyChild() {
    }

    public static void main(String[] args) throws Exception {
        AtomicReference<CountDownLatch> crash = new AtomicReference<>(new CountDownLatch(1));
        AtomicBoolean broken = new AtomicBoolean();
        Restarter r = Restarter.builder().name("notify-child").escalation(s -> { }).build();
        r.add(ServiceSpec.builder("svc:/test/notified").essential(true).start(() -> {
            if (broken.get()) throw new IllegalStateException("broken");
            CountDownLatch mine = crash.get();
            ContractThreads.start(Thread.ofPlatform().daemon().uncaughtExceptionHandler((t, e) -> { }), () -> {
                try {
                    mine.await();
                } catch (InterruptedException e) {
                    return;   // stopped
                }
                throw new IllegalStateException("injected crash");
            });
        }).build());
        r.start();
        System.out.println("started");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            switch (line) {
                case "crash" -> {
                    broken.set(true);
                    crash.getAndSet(new CountDownLatch(1)).countDown();
                    r.awaitState("svc:/test/notified", ServiceState.MAINTENANCE, Duration.ofSeconds(20));
                }
                case "clear" -> {
                    broken.set(false);
                    r.clear("svc:/test/notified");
                    r.awaitState("svc:/test/notified", ServiceState.ONLINE, Duration.ofSeconds(20));
                }
                case "stop" -> {
                    System.out.println(r.stop(Duration.ofSeconds(20)) ? "stopped" : "stop timed out");
                    return;
                }
                default -> System.out.println("unknown command " + line);
            }
            System.out.println("done " + line);
        }
    }
}
