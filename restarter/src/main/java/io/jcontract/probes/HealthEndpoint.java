package io.jcontract.probes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.jcontract.restarter.Health;
import io.jcontract.restarter.Restarter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Kubernetes-style HTTP probes for a {@link Restarter}, on the JDK's own
 * {@code com.sun.net.httpserver.HttpServer}:
 * <ul>
 * <li>{@code GET /livez}: 200 while the restarter's supervisor loop runs and
 *     is not stuck ({@link Health#live()}), else 503;</li>
 * <li>{@code GET /readyz}: 200 while every essential service is ONLINE
 *     ({@link Health#ready()}), else 503.</li>
 * </ul>
 * The body is short plain text: {@code ok} and the summary line, or the
 * summary and one line per failing service; {@code HEAD} gets the status
 * alone. Other paths get 404, other methods 405.
 *
 * <h2>Theory of operation</h2>
 * Each request reads one fresh {@link Restarter#health()} snapshot (a copy
 * of the status board under the restarter's leaf lock); nothing is cached
 * and nothing blocks on the restarter thread. Requests run on one daemon
 * thread of the endpoint's own, so a slow client cannot hold up the
 * restarter. The endpoint lives in this package, which the agent keeps off
 * the bootstrap class path (where it puts the core), because
 * {@code jdk.httpserver} is a platform-loader module the bootstrap loader
 * cannot see.
 */
public final class HealthEndpoint implements AutoCloseable {
    /** The liveness path. */
    public static final String LIVEZ = "/livez";
    /** The readiness path. */
    public static final String READYZ = "/readyz";

    private final HttpServer server;
    private final ExecutorService executor;

    private HealthEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Serves the probes of {@code restarter} on {@code address} (port 0 picks a free one).
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static HealthEndpoint start(Restarter restarter, InetSocketAddress address) {
        Objects.requireNonNull(restarter, "restarter");
        Objects.requireNonNull(address, "address");
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the health endpoint of restarter " + restarter.name()
                    + " to " + address + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, restarter.name() + "-health-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(LIVEZ, ex -> probe(ex, LIVEZ, restarter, Health::live));
        server.createContext(READYZ, ex -> probe(ex, READYZ, restarter, Health::ready));
        server.start();
        return new HealthEndpoint(server, executor);
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://host:port/livez}. */
    public String livenessUrl() {
        return url(LIVEZ);
    }

    /** {@code http://host:port/readyz}. */
    public String readinessUrl() {
        return url(READYZ);
    }

    private String url(String path) {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) host = "[" + host + "]";
        return "http://" + host + ":" + a.getPort() + path;
    }

    /** Stops serving at once and ends the endpoint's thread. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void probe(HttpExchange ex, String path, Restarter restarter, Predicate<Health> ok)
            throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals(path)) {
                reply(ex, 404, "not found: " + ex.getRequestURI().getPath() + "\n");
                return;
            }
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(ex, 405, "method not allowed: " + method + "\n");
                return;
            }
            Health h = restarter.health();
            boolean good = ok.test(h);
            StringBuilder body = new StringBuilder(good ? "ok\n" : "failing\n").append(h.summary()).append('\n');
            if (!good) for (String f : h.failing()) body.append(f).append('\n');
            reply(ex, good ? 200 : 503, body.toString());
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
