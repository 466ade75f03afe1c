package io.jcontract.example;

import io.jcontract.Contract;
import io.jcontract.ContractEvent;
import io.jcontract.ContractExecutors;
import io.jcontract.ContractStatus;
import io.jcontract.ContractTemplate;
import io.jcontract.ContractThreads;
import io.jcontract.Contracts;
import io.jcontract.EventListener;
import io.jcontract.EventType;
import io.jcontract.KillReport;
import io.jcontract.Param;
import io.jcontract.StatusDetail;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

/**
 * The example that README's demo command runs until the restarter brings
 * the real demo: a subsystem in its own contract, a member that crashes,
 * a kill of the whole subsystem, the events as they arrive and the final
 * status. It ends by itself.
 */
public final class CrashAndKillExample {

    @SuppressWarnings("try")
    public static void main(String[] args) throws Exception {
        CountDownLatch workersUp = new CountDownLatch(3);
        CountDownLatch crash = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Contract subsystem;

        var terms = ContractTemplate.process()
                .informative(EventType.FORK, EventType.EXIT, EventType.CORE)
                .critical(EventType.EMPTY, EventType.CORE, EventType.HWERR)
                .fatal(EventType.HWERR)
                .params(Param.NOORPHAN)
                .cookie(42)
                .serviceIdentity("svc:/demo/worker:default")
                .creatorAux("crash-and-kill example");
        try (var active = terms.activate()) {
            // The fork: the supervisor (this thread) holds the new contract, the first worker is its first member.
            ContractThreads.startVirtual(() -> subsystemMain(workersUp, crash, pool));
            subsystem = Contracts.latest();
        }
        System.out.printf("created contract %d, held by thread %d (%s)%n",
                subsystem.id(), Thread.currentThread().threadId(), Thread.currentThread().getName());

        try (EventListener events = subsystem.events()) {
            workersUp.await();
            System.out.println("three members are up: " + names(subsystem.status(StatusDetail.ALL)));
            crash.countDown();
            // The crash is critical: wait for it, acknowledge it, then shut the subsystem down.
            ContractEvent core = print(events, EventType.CORE);
            subsystem.ack(core);
            System.out.println("acknowledged event " + core.id() + "; killing contract " + subsystem.id());
            KillReport report = subsystem.kill().awaitEmpty(Duration.ofSeconds(5));
            System.out.printf("kill: empty=%s after %d ms, stragglers=%d%n",
                    report.empty(), report.elapsed().toMillis(), report.stragglers().size());
            print(events, EventType.EMPTY);
            printStatus(subsystem.status(StatusDetail.ALL));
            subsystem.abandon();
            System.out.println("abandoned: contract " + subsystem.id() + " is " + subsystem.state());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The subsystem's code: two pooled tasks and a virtual thread; one of them crashes. */
    private static void subsystemMain(CountDownLatch up, CountDownLatch crash, ExecutorService rawPool) {
        ExecutorService pool = ContractExecutors.wrap(rawPool);
        for (int i = 0; i < 2; i++) {
            pool.execute(() -> parkUntilKilled(up));
        }
        ContractThreads.startVirtual(() -> {
            up.countDown();
            try {
                crash.await();
            } catch (InterruptedException e) {
                return;
            }
            throw new IllegalStateException("simulated bug in a library thread");
        });
        parkUntilKilled(null);
    }

    private static void parkUntilKilled(CountDownLatch up) {
        if (up != null) up.countDown();
        try {
            Thread.sleep(Duration.ofMinutes(5));
        } catch (InterruptedException e) {
            // killed: leave quietly
        }
    }

    /** Prints every event up to and including the first of type {@code until}. */
    private static ContractEvent print(EventListener events, EventType until) throws Exception {
        for (;;) {
            ContractEvent e;
            try {
                e = events.take(Duration.ofSeconds(10));
            } catch (TimeoutException t) {
                throw new IllegalStateException("expected a " + until + " event", t);
            }
            System.out.println("  event " + describe(e));
            if (e.type() == until) return e;
        }
    }

    private static String describe(ContractEvent e) {
        String flag = e.critical() ? "critical   " : "informative";
        String detail = switch (e) {
            case ContractEvent.Fork f -> "member " + f.member() + " started by " + f.parent();
            case ContractEvent.Exit x -> "member " + x.member() + " exited, status " + x.status()
                    + (x.cause() == null ? "" : " (" + x.cause() + ")");
            case ContractEvent.Core c -> "member " + c.member() + " crashed: " + c.cause();
            case ContractEvent.Empty m -> "no members left; last was " + m.member();
            case ContractEvent.HwErr h -> "member " + h.member() + " VM error: " + h.error();
            case ContractEvent.Signal s -> "member " + s.member() + " interrupted by " + s.sender();
        };
        return String.format("%4d %s %-6s %s", e.id(), flag, e.type(), detail);
    }

    private static String names(ContractStatus s) {
        return s.members().stream().map(m -> (m.task() ? "task " : "thread ") + m.id()).toList().toString();
    }

    private static void printStatus(ContractStatus s) {
        System.out.println("final status (like ctstat -v):");
        System.out.printf("  CTID %d  TYPE %s  STATE %s  HOLDER %d  EVENTS %d  COOKIE %d%n",
                s.id(), s.type(), s.state(), s.ownerId(), s.unackedCritical(), s.cookie());
        System.out.printf("  informative %s  critical %s  fatal %s  params %s%n",
                s.informative(), s.critical(), s.fatal(), s.params());
        System.out.printf("  service %s (contract %d)  creator %s  aux \"%s\"  members %s%n",
                s.serviceIdentity(), s.serviceContractId(), s.creatorName(), s.creatorAux(), names(s));
    }
}
