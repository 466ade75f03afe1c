package io.jcontract.example.appserver;

import io.jcontract.restarter.RestartOn;
import io.jcontract.restarter.ServiceContext;
import io.jcontract.restarter.ServiceSpec;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The worker service: a dispatcher (the start method's own thread, after it
 * reports ready) hands the jobs of a shared inbox to a {@link WorkerLibrary}
 * it creates. The inbox outlives restarts: jobs sent while the service is
 * down wait for the next instance.
 *
 * <p>The dispatcher ends when interrupted: by the restarter's kill, or by
 * the stop method. Either way the library's pools are shut down on the way out.
 * Export threads (hung members) are remembered so the demo can join them at the end.
 */
final class WorkerSubsystem {
    static final String NAME = "svc:/demo/worker:default";

    private final LinkedBlockingQueue<Job> inbox = new LinkedBlockingQueue<>();
    private final StopSignal stopSignal;
    private final List<Thread> exports = new CopyOnWriteArrayList<>();
    private volatile Thread dispatcher;

    WorkerSubsystem(StopSignal stopSignal) {
        this.stopSignal = stopSignal;
    }

    ServiceSpec spec() {
        return ServiceSpec.builder(NAME)
                .start(this::run)
                .stop(this::stop)
                .restartOn(RestartOn.ANY_FAULT)
                .stopTimeout(Duration.ofSeconds(1))   // how long a kill waits before naming stragglers
                .build();
    }

    /** Queues a job; the caller waits on {@link Job#result()}. */
    void submit(Job job) {
        inbox.add(job);
    }

    /** Export threads started so far (they are hung until the demo's stop signal). */
    List<Thread> exports() {
        return List.copyOf(exports);
    }

    private void run(ServiceContext ctx) {
        try (WorkerLibrary library = new WorkerLibrary(stopSignal, exports::add)) {
            dispatcher = Thread.currentThread();
            ctx.ready();
            while (true) library.process(inbox.take());
        } catch (InterruptedException stoppedOrKilled) {
            // the library is closed by try-with-resources; returning ends this member
        }
    }

    /** The stop method: runs in a contract of its own and asks the dispatcher to end. */
    private void stop() {
        Thread t = dispatcher;
        if (t != null) t.interrupt();
    }
}
