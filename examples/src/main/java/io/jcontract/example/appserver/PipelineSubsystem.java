package io.jcontract.example.appserver;

import io.jcontract.restarter.RestartOn;
import io.jcontract.restarter.ServiceContext;
import io.jcontract.restarter.ServiceSpec;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The pipeline service: each job goes through three {@link CompletableFuture}
 * async stages (parse, enrich, render) on the common pool. With the agent,
 * every stage is a member of the service's contract, so a stage that dies
 * of a VM error is the service's HWERR, and a kill cancels the stages still
 * queued. The dispatcher is the start method's own thread; the inbox
 * outlives restarts.
 */
final class PipelineSubsystem {
    static final String NAME = "svc:/demo/pipeline:default";

    private final LinkedBlockingQueue<Job> inbox = new LinkedBlockingQueue<>();
    private volatile Thread dispatcher;

    ServiceSpec spec() {
        return ServiceSpec.builder(NAME)
                .start(this::run)
                .stop(this::stop)
                .restartOn(RestartOn.ANY_FAULT)
                .build();
    }

    void submit(Job job) {
        inbox.add(job);
    }

    private void run(ServiceContext ctx) {
        dispatcher = Thread.currentThread();
        ctx.ready();
        try {
            while (true) {
                Job job = inbox.take();
                CompletableFuture.supplyAsync(() -> parse(job))
                        .thenApplyAsync(PipelineSubsystem::enrich)
                        .thenApplyAsync(PipelineSubsystem::render)
                        .whenComplete((out, failure) -> {
                            if (failure == null) job.result().complete(out);
                            else job.result().completeExceptionally(failure);
                        });
            }
        } catch (InterruptedException stoppedOrKilled) {
            // stages still queued were cancelled by the kill; returning ends this member
        }
    }

    private void stop() {
        Thread t = dispatcher;
        if (t != null) t.interrupt();
    }

    private record Parsed(long id, String[] words) { }

    private static Parsed parse(Job job) {
        return new Parsed(job.id(), job.payload().split("-"));
    }

    private static Parsed enrich(Parsed p) {
        if (String.join("-", p.words()).equals(Job.ECC))
            throw new SimulatedHardwareError("uncorrectable ECC error while enriching record " + p.id());
        String[] out = new String[p.words().length];
        for (int i = 0; i < out.length; i++) out[i] = p.words()[i].toUpperCase(Locale.ROOT);
        return new Parsed(p.id(), out);
    }

    private static String render(Parsed p) {
        return p.id() + ":" + String.join("/", p.words());
    }
}
