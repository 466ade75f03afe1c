package io.jcontract;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Per-test fixture for the regent, credential, group and limit tests: keeps
 * the gates, actors, member threads and contract handles a test makes, and
 * the ids of every contract it created, and undoes them in {@link #close()}:
 * releases the gates, stops the actors, joins the threads, abandons the
 * handles still held, and then fails if any contract the test created is
 * still in the (global) table.
 */
final class Scene implements AutoCloseable {
    private final List<CountDownLatch> gates = new CopyOnWriteArrayList<>();
    private final List<Actor> actors = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Contract> contracts = new CopyOnWriteArrayList<>();
    private final List<Integer> ids = new CopyOnWriteArrayList<>();
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
    /** Members made with {@link #parked} that woke up interrupted (were killed). */
    final AtomicInteger interruptedMembers = new AtomicInteger();

    CountDownLatch gate() {
        CountDownLatch g = new CountDownLatch(1);
        gates.add(g);
        return g;
    }

    Actor actor(Actor a) {
        actors.add(a);
        return a;
    }

    Thread thread(Thread t) {
        threads.add(t);
        return t;
    }

    EventListener listener(EventListener l) {
        listeners.add(l);
        return l;
    }

    /** Tracks a handle to abandon at the end, and its contract's id for the leak check. */
    Contract contract(Contract c) {
        contracts.add(c);
        ids.add(c.id());
        return c;
    }

    /** Tracks only the id of a contract (for the leak check), e.g. one that will be inherited. */
    int id(int id) {
        ids.add(id);
        return id;
    }

    /** An actor started by the test thread: in the root contract, or the first member of a new contract if a template is active. */
    Actor startActor(String name) {
        return actor(Actor.start(name));
    }

    /** Starts a new actor from {@code parent} (a member of the parent's contract). */
    Actor spawn(Actor parent, String name) {
        return actor(parent.spawn(name));
    }

    /** A contract and the actor that is its first member. */
    record Held(Contract contract, Actor actor) {
        int id() {
            return contract.id();
        }
    }

    /** Creates a contract held by the test thread whose first member is a new actor. */
    Held actorContract(ContractTemplate t, String name) {
        try (var active = t.activate()) {
            Actor a = startActor(name);
            return new Held(contract(Contracts.latest()), a);
        }
    }

    /** Creates, on {@code holder}'s thread, a contract it holds whose first member is a new actor. */
    Held actorContractOn(Actor holder, ContractTemplate t, String name) {
        Held h = holder.call(() -> {
            try (var active = t.activate()) {
                Actor a = Actor.start(name);
                return new Held(Contracts.latest(), a);
            }
        });
        actor(h.actor());
        contract(h.contract());
        return h;
    }

    /**
     * A member body that parks on {@code gate} (bounded), counting an
     * interrupt (a kill) in {@link #interruptedMembers} and counting
     * {@code up} down first if not null.
     */
    Runnable parked(CountDownLatch gate, CountDownLatch up) {
        return () -> {
            if (up != null) up.countDown();
            if (!TestSupport.park(gate)) interruptedMembers.incrementAndGet();
        };
    }

    /** Starts {@code body} as a fork of the calling thread (a virtual thread), tracked for joining. */
    Thread start(Runnable body) {
        return thread(ContractThreads.start(Thread.ofVirtual().uncaughtExceptionHandler(TestSupport.QUIET), body));
    }

    /**
     * On {@code holder}'s thread: activates {@code t}, starts {@code firstBody}
     * as the first member of a new contract, and returns the holder's handle
     * (tracked) and the member.
     */
    TestSupport.Created createOn(Actor holder, ContractTemplate t, Runnable firstBody) {
        TestSupport.Created c = holder.call(() -> {
            try (var active = t.activate()) {
                Thread m = start(firstBody);
                return new TestSupport.Created(Contracts.latest(), m);
            }
        });
        contract(c.contract());
        return c;
    }

    @Override
    public void close() {
        ContractTemplate.clear();
        for (EventListener l : listeners) l.close();
        for (CountDownLatch g : gates) g.countDown();
        List<String> problems = new ArrayList<>();
        for (Actor a : actors) a.stopAsync();
        long deadline = System.nanoTime() + LifecycleTestKit.WAIT.toNanos();
        List<Thread> all = new ArrayList<>(threads);
        for (Actor a : actors) all.add(a.thread());
        for (Thread t : all) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                if (!t.join(java.time.Duration.ofNanos(left))) problems.add("thread still alive: " + t);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Contract c : contracts) {
            try {
                c.abandon();
            } catch (ContractPermissionException notHeld) {
                // abandoned already, by the test, its holder's exit, a transfer or an adoption
            }
        }
        List<Integer> live = Contracts.ids();
        List<Integer> leaked = ids.stream().distinct().filter(live::contains).toList();
        if (!leaked.isEmpty()) {
            StringBuilder sb = new StringBuilder("contracts still live after the test: ");
            for (int id : leaked) {
                try {
                    sb.append(Contracts.lookup(id).status(StatusDetail.ALL)).append("; ");
                } catch (NoSuchContractException gone) {
                    sb.append(id).append(" (gone now); ");
                }
            }
            problems.add(sb.toString());
        }
        if (!problems.isEmpty()) fail(String.join("\n", problems));
    }
}
