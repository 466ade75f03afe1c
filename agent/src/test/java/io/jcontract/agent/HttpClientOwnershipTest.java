package io.jcontract.agent;

import com.sun.net.httpserver.HttpServer;
import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.KillReport;
import io.jcontract.MemberInfo;
import io.jcontract.StatusDetail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 items 1 and 4 for {@code java.net.http.HttpClient}: a client a member creates is its
 * contract's. Its selector-manager thread is a member (its default executor is a pool the JDK made
 * for itself, so its workers are not members, only the tasks they run for the contract), a kill
 * shuts the client down (rung 4), and afterwards none of its threads, selector or workers, is alive. The server it
 * talked to, created outside, and a client created outside go on working.
 */
@Timeout(90)
class HttpClientOwnershipTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    private static Set<Thread> httpClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HttpClient-") && t.isAlive())
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void aKillShutsDownAnHttpClientAMemberCreatedAndNoneOfItsThreadsIsLeft() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", x -> {
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();                                              // outside the contract
        URI hello = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hello");
        Set<Thread> before = httpClientThreads();
        AtomicReference<HttpClient> made = new AtomicReference<>();
        AtomicReference<String> answered = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1), never = new CountDownLatch(1);
        Contract c;
        try (var a = ContractTemplate.process().activate()) {
            new Thread(() -> {
                HttpClient client = HttpClient.newHttpClient();
                made.set(client);
                try {
                    answered.set(client.send(HttpRequest.newBuilder(hello).build(),
                            HttpResponse.BodyHandlers.ofString()).body());
                    client.sendAsync(HttpRequest.newBuilder(hello).build(), HttpResponse.BodyHandlers.ofString())
                            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);     // runs on the client's executor
                } catch (Exception e) {
                    answered.set(e.toString());
                }
                ready.countDown();
                try {
                    never.await();
                } catch (InterruptedException killed) {
                    // the kill
                }
            }, "http-member").start();
            c = Contracts.latest();
        }
        try {
            assertTrue(ready.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the member's requests ended");
            HttpClient client = made.get();
            assertEquals("hello", answered.get(), "the member's client talked to the server");
            Set<Thread> clients = httpClientThreads();
            clients.removeAll(before);
            assertTrue(clients.stream().anyMatch(t -> t.getName().endsWith("SelectorManager")),
                    "the member's client started its selector thread: " + clients);
            List<String> members = c.status(StatusDetail.ALL).members().stream().map(MemberInfo::name).toList();
            for (Thread t : clients)        // the default executor's workers are not: the JDK made that pool for itself
                if (t.getName().endsWith("SelectorManager"))
                    assertTrue(members.contains(t.getName()), t.getName() + " is a member: " + members);
            assertTrue(clients.stream().anyMatch(t -> t.getName().contains("-Worker-")),
                    "the client's executor ran a task on a worker of its own: " + clients);
            assertTrue(c.status(StatusDetail.ALL).owned().stream().anyMatch(o -> o.contains("HttpClientImpl")),
                    "the contract owns the client: " + c.status(StatusDetail.ALL).owned());

            KillReport r = c.kill().awaitEmpty(WAIT);

            assertTrue(r.empty(), r.toString());
            assertTrue(client.awaitTermination(WAIT), "the kill shut the member's HttpClient down");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (clients.stream().anyMatch(Thread::isAlive)) {   // EMPTY comes just before each thread is gone
                assertTrue(System.nanoTime() - deadline < 0, "threads of the killed client left: "
                        + clients.stream().filter(Thread::isAlive).map(Thread::getName).toList());
                Thread.onSpinWait();
            }
            try (HttpClient outside = HttpClient.newHttpClient()) {
                assertEquals("hello", outside.send(HttpRequest.newBuilder(hello).build(),
                        HttpResponse.BodyHandlers.ofString()).body(), "the server and a client outside still work");
            }
        } finally {
            never.countDown();
            if (made.get() != null) made.get().shutdownNow();
            c.abandon();
            server.stop(0);
        }
    }
}
