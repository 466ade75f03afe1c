package io.jcontract.bench.agent;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.KillReport;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Issue 12's measure: the kill of a running, unmodified Jetty 12 server (default
 * {@code QueuedThreadPool}) until its contract is EMPTY (goal 100 ms at 2 cores), with the
 * {@code jcontract-jetty} adapter; the baseline is Jetty's own {@code Server.stop()} of the same
 * server set-up, in the same run. Before each op (not timed) a server is started on a loopback
 * port, inside a contract for {@link #kill} and outside any for {@link #stop}, and answers
 * {@link #REQUESTS} requests from outside; the op is {@code kill().awaitEmpty()} or
 * {@code server.stop()}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(1)
public class JettyKillAgent {
    static final int REQUESTS = 20;

    static void serve(Server server, CompletableFuture<Integer> port) {
        try {
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            server.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) {
                    response.write(true, ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), callback);
                    return true;
                }
            });
            server.start();
            port.complete(connector.getLocalPort());
            server.join();
        } catch (Throwable t) {
            port.completeExceptionally(t);
        }
    }

    static void requests(int port) throws IOException {
        for (int i = 0; i < REQUESTS; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                if (!buf.toString(StandardCharsets.US_ASCII).endsWith("hello"))
                    throw new IOException("unexpected answer: " + buf);
            }
        }
    }

    /** A server running in its own contract. */
    @State(Scope.Thread)
    public static class InContract {
        Contract contract;

        @Setup(Level.Invocation)
        public void start() throws Exception {
            CompletableFuture<Integer> port = new CompletableFuture<>();
            try (var a = ContractTemplate.process().activate()) {
                new Thread(() -> serve(new Server(), port), "jetty-main").start();
                contract = Contracts.latest();
            }
            requests(port.get(30, TimeUnit.SECONDS));
        }

        @TearDown(Level.Invocation)
        public void end() throws InterruptedException {
            KillReport r = contract.kill().awaitEmpty(Duration.ofSeconds(10));
            if (!r.empty()) throw new IllegalStateException("Jetty's contract not EMPTY: " + r);
            contract.abandon();
        }
    }

    /** The same server, outside any contract. */
    @State(Scope.Thread)
    public static class Outside {
        Server server;
        Thread main;

        @Setup(Level.Invocation)
        public void start() throws Exception {
            CompletableFuture<Integer> port = new CompletableFuture<>();
            server = new Server();
            main = new Thread(() -> serve(server, port), "jetty-main");
            main.start();
            requests(port.get(30, TimeUnit.SECONDS));
        }

        @TearDown(Level.Invocation)
        public void end() throws Exception {
            server.stop();
            main.join(10_000);
        }
    }

    @Benchmark
    public KillReport kill(InContract s) throws InterruptedException {
        return s.contract.kill().awaitEmpty(Duration.ofSeconds(30));
    }

    @Benchmark
    public Server stop(Outside s) throws Exception {
        s.server.stop();
        return s.server;
    }
}
