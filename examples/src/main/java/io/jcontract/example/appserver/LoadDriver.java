package io.jcontract.example.appserver;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clients: one thread per subsystem (in the root contract: they are
 * outside every service) issuing requests one after the other, about
 * {@link #PACE_MILLIS} apart, and counting each outcome. A request fails if
 * it gets an error or no answer within {@link #TIMEOUT_MILLIS} (a job lost
 * in a killed subsystem, a refused connection while HTTP restarts).
 *
 * <p>Stopped by {@link #stop()}, which ends the loops and joins the threads.
 */
final class LoadDriver {
    static final long PACE_MILLIS = 20;
    static final int TIMEOUT_MILLIS = 1500;

    /** Outcomes of one subsystem's requests. */
    static final class Counts {
        final AtomicLong succeeded = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        void record(boolean ok) {
            (ok ? succeeded : failed).incrementAndGet();
        }

        @Override
        public String toString() {
            return succeeded.get() + " ok/" + failed.get() + " failed";
        }
    }

    final Counts http = new Counts(), worker = new Counts(), pipeline = new Counts();
    private final HttpSubsystem httpService;
    private final WorkerSubsystem workerService;
    private final PipelineSubsystem pipelineService;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong jobIds = new AtomicLong();
    private List<Thread> clients = List.of();

    LoadDriver(HttpSubsystem http, WorkerSubsystem worker, PipelineSubsystem pipeline) {
        this.httpService = http;
        this.workerService = worker;
        this.pipelineService = pipeline;
    }

    /** Per subsystem, in a fixed order: its name and its counts. */
    Map<String, Counts> counts() {
        Map<String, Counts> m = new LinkedHashMap<>();
        m.put("http", http);
        m.put("worker", worker);
        m.put("pipeline", pipeline);
        return m;
    }

    void start() {
        clients = List.of(
                client("client-http", () -> http.record(httpRequest(jobIds.incrementAndGet()))),
                client("client-worker", () -> worker.record(job(new Job(jobIds.incrementAndGet(), "data"), true))),
                client("client-pipeline", () -> pipeline.record(job(new Job(jobIds.incrementAndGet(), "a-b-c"), false))));
    }

    /** A fresh job id (for the fault injector's poisoned jobs). */
    long nextJobId() {
        return jobIds.incrementAndGet();
    }

    void stop() throws InterruptedException {
        stopped.countDown();
        for (Thread t : clients)
            if (!t.join(java.time.Duration.ofMillis(2L * TIMEOUT_MILLIS + 1000)))
                throw new IllegalStateException("client " + t.getName() + " did not stop");
    }

    private Thread client(String name, Runnable request) {
        return Thread.ofPlatform().name(name).daemon(true).start(() -> {
            try {
                do request.run(); while (!stopped.await(PACE_MILLIS, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                // stop
            }
        });
    }

    private boolean job(Job job, boolean toWorker) {
        if (toWorker) workerService.submit(job);
        else pipelineService.submit(job);
        try {
            job.result().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** GET /hello, and every 25th request GET /contracts (which must be a JSON object). */
    private boolean httpRequest(long n) {
        int port = httpService.port();
        if (port == 0) return false;   // down: restarting
        String path = n % 25 == 0 ? "/contracts" : "/hello";
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
            c.setConnectTimeout(TIMEOUT_MILLIS);
            c.setReadTimeout(TIMEOUT_MILLIS);
            try {
                if (c.getResponseCode() != 200) return false;
                try (InputStream in = c.getInputStream()) {
                    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    return path.equals("/hello") ? body.startsWith("hello") : body.startsWith("{");
                }
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Fetches {@code GET /contracts} once (for the log); null if HTTP is down. */
    String fetchContracts() {
        int port = httpService.port();
        if (port == 0) return null;
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/contracts").toURL()
                    .openConnection();
            c.setConnectTimeout(TIMEOUT_MILLIS);
            c.setReadTimeout(TIMEOUT_MILLIS);
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return null;
        }
    }
}
