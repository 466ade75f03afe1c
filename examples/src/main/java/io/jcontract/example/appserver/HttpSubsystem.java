package io.jcontract.example.appserver;

import io.jcontract.restarter.RestartOn;
import io.jcontract.restarter.ServiceContext;
import io.jcontract.restarter.ServiceSpec;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.BindException;
import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP service: a real Jetty 12 {@link Server} on a loopback ephemeral
 * port, with its own {@link QueuedThreadPool}. {@code GET /hello} answers a
 * line; {@code GET /contracts} answers the live contract tree as JSON.
 *
 * <p>Members of its contract (with the agent): the start method's thread,
 * which stays as the instance's keeper; Jetty's pool threads (the acceptor,
 * the selector, the workers that run each request) and its scheduler; and a
 * session reaper thread that treats an interrupt it did not ask for as
 * fatal: the fault injector's outside interrupt kills it, which is SIGNAL.
 *
 * <p>Only the stop method stops the server ({@link Server#stop()} through
 * the keeper). A kill (the restarter's, after a fault, or the operator's
 * KILL fault) calls nothing of this class: the agent recognised the
 * {@code Server} and its pool as lifecycle objects when the contract made
 * them, and the kill's last rung has the Jetty lifecycle adapter
 * ({@code jcontract-jetty}) stop them, which closes the connector. A restart
 * binds the port the first instance got again (the old instance's socket is
 * closed by then: the restarter starts the new instance only after the old
 * contract emptied), so a URL stays valid across restarts; should the port
 * be taken meanwhile, it binds a new one. Every bind is logged;
 * {@link #port()} gives the current port (0 while down).
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

    private void run(ServiceContext ctx) throws Exception {
        Server server = bind();
        Instance inst = new Instance(((ServerConnector) server.getConnectors()[0]).getLocalPort());
        inst.reaper = Thread.ofPlatform().name("http-session-reaper").daemon(true).start(() -> reapSessions(inst));
        current = inst;
        ctx.ready();
        try {
            inst.stopRequested.await();
        } catch (InterruptedException killed) {
            // The contract is being killed: nothing to close here. The kill stops the Server (and with it the
            // connector, the pool and the scheduler) through the Jetty lifecycle adapter, with no stop call.
            inst.closing = true;
            return;
        }
        inst.closing = true;
        inst.reaper.interrupt();
        server.stop();
    }

    /** A started server on the port of the first instance (any free port the first time, or if it is taken); logs it. */
    private Server bind() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int want = stablePort;
        Server server;
        String how;
        if (want == 0) {
            server = start(loopback, 0);
            how = "";
        } else {
            try {
                server = start(loopback, want);
                how = " again (the same port)";
            } catch (BindException taken) {
                server = start(loopback, 0);
                how = " (port " + want + " was taken: " + taken.getMessage() + "; a new port)";
            }
        }
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        if (want == 0) stablePort = port;
        log.line("http", "%-32s Jetty %s listening on http://%s:%d%s", NAME, Server.getVersion(),
                loopback.getHostAddress(), port, how);
        return server;
    }

    /** A Jetty server started on {@code port} of {@code host}; a taken port is a {@link BindException}. */
    private Server start(InetAddress host, int port) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName("jetty-http");
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(host.getHostAddress());
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Routes());
        try {
            server.start();
            return server;
        } catch (Exception e) {
            server.stop();
            for (Throwable t = e; t != null; t = t.getCause())
                if (t instanceof BindException b) throw b;
            throw e;
        }
    }

    /** GET /hello and GET /contracts; anything else is 404, a method other than GET 405. */
    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String body, type;
            switch (Request.getPathInContext(request)) {
                case "/hello" -> {
                    type = "text/plain";
                    body = "hello " + served.incrementAndGet() + "\n";
                }
                case "/contracts" -> {
                    type = "application/json";
                    body = ContractTree.json() + "\n";
                }
                default -> {
                    return false;
                }
            }
            if (!"GET".equals(request.getMethod())) {
                Response.writeError(request, response, callback, 405);
                return true;
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type + "; charset=utf-8");
            Content.Sink.write(response, true, body, callback);
            return true;
        }
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
}
