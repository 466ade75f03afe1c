package io.jcontract.agent.cli;

import io.jcontract.Contracts;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The command the ctrun tests run. {@code ok}: prints its contract and that
 * of a thread it starts; {@code crash-once FILE}: the first run (FILE absent)
 * creates FILE and dies of an exception, later runs print and return;
 * {@code fail}: throws.
 */
public final class CtRunApp {
    private CtRunApp() {
    }

    public static void main(String[] args) throws Exception {
        int[] child = new int[1];
        Thread t = new Thread(() -> child[0] = Contracts.current().id());
        t.start();
        t.join();
        switch (args[0]) {
            case "ok" -> System.out.println("run in contract " + Contracts.current().id() + " child " + child[0]);
            case "where" -> System.out.println("run in contract " + Contracts.current().id() + " child-jvm "
                    + System.getProperty("jcontract.ctrun.child") + " loader " + System.getProperty("jcontract.agent.installed"));
            case "crash-once" -> {
                Path marker = Path.of(args[1]);
                System.out.println("run in contract " + Contracts.current().id() + " child " + child[0]);
                if (!Files.exists(marker)) {
                    Files.createFile(marker);
                    throw new IllegalStateException("first run fails");
                }
            }
            case "fail" -> throw new IllegalArgumentException("always fails");
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
