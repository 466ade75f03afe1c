package io.jcontract.jetty;

import io.jcontract.testkit.ServerCycles;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * A real Jetty 12 server, started by unmodified code inside a contract under
 * the agent, killed without any stop call (issue 12, "What it must show").
 */
@Timeout(180)
class JettyInContractTest {
    static final int CYCLES = 20, REQUESTS = 50;

    /** The application: a plain Jetty server that answers "hello", started and joined as anywhere else. */
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

    @Test
    void onTheDefaultQueuedThreadPool() throws Exception {
        List<Double> ms = ServerCycles.run("jetty-qtp", CYCLES, REQUESTS, "hello", port -> serve(new Server(), port));
        System.out.println("[jetty-qtp] kill to EMPTY (ms): " + ms);
    }

    @Test
    void onVirtualThreads() throws Exception {
        List<Double> ms = ServerCycles.run("jetty-vt", CYCLES, REQUESTS, "hello", port -> {
            QueuedThreadPool pool = new QueuedThreadPool();
            pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
            serve(new Server(pool), port);
        });
        System.out.println("[jetty-vt] kill to EMPTY (ms): " + ms);
    }
}
