package io.jcontract.example.appserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jcontract.restarter.RestartOn;
import io.jcontract.restarter.ServiceContext;
import io.jcontract.restarter.ServiceSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP service: the JDK's {@link HttpServer} on a loopback ephemeral port
 * with a virtual thread per exchange. {@code GET /hello} answers a line;
 * {@code GET /contracts} answers the live contract tree as JSON.
 *
 * <p>Members of its contract (with the agent): the start method's thread,
 * which stays as the instance's keeper; the server's dispatcher thread and
 * its idle-timeout timer task; every exchange's virtual thread; and a
 * session reaper thread that treats an interrupt it did not ask for as
 * fatal: the fault injector's outside interrupt kills it, which is SIGNAL.
 *
 * <p>The keeper closes the instance when interrupted (the restarter's kill)
 * or asked to by the stop method: it marks the instance closing, ends the
 * reaper, stops the server and its executor. A restart binds the port the
 * first instance got again (the old instance's socket is closed by then:
 * the restarter starts the new instance only after the old contract
 * emptied), so a URL stays valid across restarts; should the port be taken
 * meanwhile, it binds a new one. Every bind is logged; {@link #port()}
 * gives the current port (0 while down).
 */
final class HttpSubsystem {
    static final String NAME = "svc:/demo/http:default";

    /** One run of the service: what its keeper closes. */
    private static final class Instance {
        final CountDownLatch stopRequested = new CountDownLatch(1);
        final int port;
        volatile Thread reaper;
        volatile boolean closing;

        Instance(int port) {
            this.port = port;
        }
    }

    private final AtomicLong served = new AtomicLong();
    private final EventLog log;
    private volatile Instance current;
    /** The port the first instance bound, which later instances bind again; 0 before. */
    private volatile int stablePort;

    HttpSubsystem(EventLog log) {
        this.log = log;
    }

    ServiceSpec spec(String... dependencies) {
        return ServiceSpec.builder(NAME)
                .start(this::run)
                .stop(this::stop)
                .restartOn(RestartOn.ALL)
                .dependsOn(dependencies)
                .build();
    }

    /** The port of the running instance, or 0 while the service is down. */
    int port() {
        Instance i = current;
        return i == null || i.closing ? 0 : i.port;
    }

    /** The session reaper of the running instance, or null: the fault injector's SIGNAL target. */
    Thread reaper() {
        Instance i = current;
        return i == null || i.closing ? null : i.reaper;
    }

    private void run(ServiceContext ctx) throws IOException {
        HttpServer server = bind();
        ExecutorService exchanges = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(exchanges);
        server.createContext("/hello", ex -> reply(ex, "text/plain", "hello " + served.incrementAndGet() + "\n"));
        server.createContext("/contracts", ex -> reply(ex, "application/json", ContractTree.json() + "\n"));
        server.start();
        Instance inst = new Instance(server.getAddress().getPort());
        inst.reaper = Thread.ofPlatform().name("http-session-reaper").daemon(true).start(() -> reapSessions(inst));
        current = inst;
        ctx.ready();
        try {
            inst.stopRequested.await();
        } catch (InterruptedException killed) {
            // the restarter kills the whole contract: close what this instance opened
        } finally {
            inst.closing = true;
            inst.reaper.interrupt();
            server.stop(0);
            exchanges.shutdownNow();
        }
    }

    /** Binds the port of the first instance again (any free port the first time, or if it is taken); logs it. */
    private HttpServer bind() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int want = stablePort;
        HttpServer server;
        String how;
        if (want == 0) {
            server = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
            how = "";
        } else {
            try {
                server = HttpServer.create(new InetSocketAddress(loopback, want), 64);
                how = " again (the same port)";
            } catch (BindException taken) {
                server = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
                how = " (port " + want + " was taken: " + taken.getMessage() + "; a new port)";
            }
        }
        int port = server.getAddress().getPort();
        if (want == 0) stablePort = port;
        log.line("http", "%-32s listening on http://%s:%d%s", NAME, loopback.getHostAddress(), port, how);
        return server;
    }

    /** The stop method (in a contract of its own): asks the keeper to close the instance. */
    private void stop() {
        Instance i = current;
        if (i != null) i.stopRequested.countDown();
    }

    /** Expires idle sessions every 100 ms; an interrupt it did not ask for is a fatal error. */
    private static void reapSessions(Instance inst) {
        while (true) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                if (inst.closing) return;
                throw new IllegalStateException("session reaper interrupted from outside; sessions would never expire", e);
            }
        }
    }

    private static void reply(HttpExchange ex, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
