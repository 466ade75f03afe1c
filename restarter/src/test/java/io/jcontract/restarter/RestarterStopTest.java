package io.jcontract.restarter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.ContractThreads;
import io.jcontract.Contracts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The restarter's one loop is never blocked by one service (issue 13): a
 * stop or a restart kills the service's contract and goes on; the kill ends
 * when the contract's EMPTY wakes the loop or at the service's stop
 * deadline. Asserted by the order of states and events, not by time: the
 * stubborn service's grace is far longer than anything the test waits for.
 */
@Timeout(90)
class RestarterStopTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Longer than any wait of the test: a loop that waits out this grace inline fails the test's order checks. */
    static final Duration LONG_GRACE = Duration.ofSeconds(30);

    private final List<RestarterEvent> log = new CopyOnWriteArrayList<>();
    private final List<Thread> members = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch stubbornFault = new CountDownLatch(1);
    /** Counted down by a listener after the one that logs: the log then holds stubborn's DISABLED. */
    private final CountDownLatch stubbornDisabledLogged = new CountDownLatch(1);
    private Set<Integer> liveBefore;
    private Restarter restarter;

    @BeforeEach
    void setUp() {
        liveBefore = new HashSet<>(Contracts.ids());
        restarter = Restarter.builder().name("stop-test").throttle(5, Duration.ofSeconds(10)).listener(log::add)
                .listener(e -> {
                    if (e instanceof RestarterEvent.ContractEventHandled h && h.service().equals("stubborn"))
                        stubbornFault.countDown();
                    if (e instanceof RestarterEvent.StateChanged c && c.service().equals("stubborn")
                            && c.to() == ServiceState.DISABLED)
                        stubbornDisabledLogged.countDown();
                })
                .build();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        release.countDown();
        assertTrue(restarter.stop(Duration.ofSeconds(60)), "restarter stopped in time");
        for (Thread t : members) assertTrue(t.join(WAIT), "member " + t + " ended");
        List<Integer> leaked = new ArrayList<>(Contracts.ids());
        leaked.removeAll(liveBefore);
        assertEquals(List.of(), leaked, "contracts left alive by the test");
    }

    /** A member that swallows every kill (interrupt) until the test releases it. */
    private void stubbornMember() {
        while (true) {
            try {
                release.await();
                return;
            } catch (InterruptedException ignored) {
                // swallows the kill
            }
        }
    }

    /** A start method whose one member waits for "crash" (then throws: CORE) or a kill. */
    private Runnable crasher(LinkedBlockingQueue<String> orders) {
        return () -> members.add(ContractThreads.start(Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> { }), () -> {
            try {
                if (orders.take().equals("crash")) throw new IllegalStateException("injected crash");
            } catch (InterruptedException e) {
                // killed
            }
        }));
    }

    private int indexOf(String service, ServiceState to, int from) {
        for (int i = from; i < log.size(); i++)
            if (log.get(i) instanceof RestarterEvent.StateChanged c && c.service().equals(service) && c.to() == to)
                return i;
        return -1;
    }

    @Test
    void aStubbornStopDoesNotDelayAnotherServicesRestart() throws Exception {
        restarter.add(ServiceSpec.builder("stubborn").stopTimeout(LONG_GRACE)
                .start(() -> members.add(ContractThreads.startVirtual(this::stubbornMember))).build());
        LinkedBlockingQueue<String> orders = new LinkedBlockingQueue<>();
        restarter.add(ServiceSpec.builder("crasher").start(crasher(orders)).build());
        restarter.start();
        restarter.awaitState("stubborn", ServiceState.ONLINE, WAIT);
        restarter.awaitState("crasher", ServiceState.ONLINE, WAIT);

        restarter.disable("stubborn");                       // its member ignores the kill: a long grace
        restarter.awaitState("stubborn", ServiceState.STOPPING, WAIT);
        orders.add("crash");
        restarter.awaitStatus("crasher", s -> s.state() == ServiceState.ONLINE && s.restarts() == 1,
                LONG_GRACE.multipliedBy(2));
        assertEquals(ServiceState.STOPPING, restarter.state("stubborn").state(),
                "the crasher was restarted while the stubborn service was still being stopped");

        release.countDown();                                 // its member ends: EMPTY ends the stop, not the deadline
        ServiceStatus stopped = restarter.awaitState("stubborn", ServiceState.DISABLED, WAIT);
        assertTrue(stopped.lastKill().empty(), "ended by EMPTY, with no straggler: " + stopped.lastKill());
        // the board can show DISABLED before the listeners have been told: wait for the listener itself
        assertTrue(stubbornDisabledLogged.await(WAIT.toSeconds(), TimeUnit.SECONDS), "DISABLED reached the listeners");
        int stopping = indexOf("stubborn", ServiceState.STOPPING, 0);
        int crasherBack = indexOf("crasher", ServiceState.ONLINE, indexOf("crasher", ServiceState.STARTING, stopping));
        int disabled = indexOf("stubborn", ServiceState.DISABLED, stopping);
        assertTrue(stopping < crasherBack && crasherBack < disabled,
                "order: stubborn STOPPING, crasher ONLINE again, stubborn DISABLED: " + log);
    }

    @Test
    void aStubbornRestartDoesNotDelayAnotherServicesRestart() throws Exception {
        LinkedBlockingQueue<String> stubbornOrders = new LinkedBlockingQueue<>();
        restarter.add(ServiceSpec.builder("stubborn").stopTimeout(LONG_GRACE).start(() -> {
            crasher(stubbornOrders).run();
            members.add(ContractThreads.startVirtual(this::stubbornMember));   // a bystander that ignores the kill
        }).build());
        LinkedBlockingQueue<String> orders = new LinkedBlockingQueue<>();
        restarter.add(ServiceSpec.builder("crasher").start(crasher(orders)).build());
        restarter.start();
        restarter.awaitState("stubborn", ServiceState.ONLINE, WAIT);
        restarter.awaitState("crasher", ServiceState.ONLINE, WAIT);

        stubbornOrders.add("crash");                        // its kill waits for the bystander
        assertTrue(stubbornFault.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the stubborn service's CORE was read");
        orders.add("crash");
        restarter.awaitStatus("crasher", s -> s.state() == ServiceState.ONLINE && s.restarts() == 1,
                LONG_GRACE.multipliedBy(2));
        assertEquals(0, restarter.state("stubborn").restarts(), "the stubborn service is still being killed");

        release.countDown();
        ServiceStatus back = restarter.awaitStatus("stubborn",
                s -> s.state() == ServiceState.ONLINE && s.restarts() == 1, WAIT);
        assertTrue(back.lastKill().empty(), "ended by EMPTY, with no straggler: " + back.lastKill());
    }
}
