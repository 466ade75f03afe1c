package io.jcontract.jetty;

import io.jcontract.testkit.ServerCycles;
import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.KillReport;
import io.jcontract.StatusDetail;
import org.eclipse.jetty.server.Server;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The README's recipe "Run a third-party server in a contract", as a program:
 * an unmodified Jetty server started in a contract, killed, started again.
 * Run it under the agent with this module's test class path, e.g.
 * {@code java -javaagent:agent/target/jcontract-agent.jar -cp <test classpath> io.jcontract.jetty.JettyRecipe}.
 */
public final class JettyRecipe {
    private JettyRecipe() {
    }

    public static void main(String[] args) throws Exception {
        for (int round = 1; round <= 2; round++) {
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Contract c;
            try (var active = ContractTemplate.process().activate()) {
                new Thread(() -> JettyInContractTest.serve(new Server(), port), "jetty-main").start();
                c = Contracts.latest();
            }
            int p = port.get(30, TimeUnit.SECONDS);
            String body = ServerCycles.get(p);
            var s = c.status(StatusDetail.ALL);
            System.out.printf("start %d: contract %d serves port %d (\"%s\"), %d members, owns:%n", round, c.id(), p,
                    body.substring(body.lastIndexOf('\n') + 1), s.members().size());
            s.owned().forEach(o -> System.out.println("    " + o));

            Contract.KillHandle kill = c.kill();                // no stop call of ours: the kill ends the server
            KillReport r = kill.awaitEmpty(Duration.ofSeconds(10));
            while (r.resources().stream().anyMatch(x -> x.outcome() == KillReport.Outcome.RUNNING))
                r = kill.awaitEmpty(Duration.ofSeconds(10));   // rung 4 runs on the kill's own threads
            System.out.printf("kill %d: empty=%s in %.1f ms, stragglers %d; rung 4:%n", round, r.empty(),
                    r.elapsed().toNanos() / 1e6, r.stragglers().size());
            r.resources().forEach(x -> System.out.printf("    %-62s %s (%.1f ms)%n", x.what(), x.outcome(),
                    x.took().toNanos() / 1e6));
            try {
                ServerCycles.get(p);
                System.out.println("port " + p + " still answers");
            } catch (ConnectException refused) {
                System.out.println("port " + p + ": " + refused.getMessage());
            }
            c.abandon();
        }
        System.out.println("live contracts: " + Contracts.ids());
    }
}
