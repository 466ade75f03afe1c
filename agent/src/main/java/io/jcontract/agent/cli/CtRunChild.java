package io.jcontract.agent.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * ctrun under {@code java -jar} with class data sharing on and the agent's
 * {@code boot} loader (asked for with {@code -Djcontract.agent.loader=boot};
 * the default lookup bridge appends nothing and runs ctrun in this JVM): the
 * same command line again in a child JVM with {@code -Xshare:off} (so the
 * agent's bootstrap append draws no warning), standard streams inherited, the
 * child's exit status returned. The JVM options are this process's own
 * (its argv up to {@code -jar}, from {@link ProcessHandle.Info}); a TERM
 * to ctrun ends the child too. Where the argv cannot be read, ctrun runs in
 * this JVM as before (with the warning).
 */
final class CtRunChild {
    /** Marks the child, so that it runs ctrun itself. */
    static final String CHILD_PROPERTY = "jcontract.ctrun.child";

    private CtRunChild() {
    }

    /**
     * Whether this JVM should hand ctrun to a child: the agent would append to
     * the bootstrap class path, class sharing is on, it is not the child, argv is known.
     */
    static boolean wanted() {
        return io.jcontract.agent.JContractAgent.appendsToBootPath(null)
                && System.getProperty("java.vm.info", "").contains("sharing") && System.getProperty(CHILD_PROPERTY) == null
                && jvmOptions().isPresent();
    }

    /** This JVM's options: its argv before {@code -jar}. */
    private static Optional<List<String>> jvmOptions() {
        Optional<String[]> argv = ProcessHandle.current().info().arguments();
        if (argv.isEmpty()) return Optional.empty();
        List<String> args = Arrays.asList(argv.get());
        int jar = args.indexOf("-jar");
        return jar < 0 ? Optional.empty() : Optional.of(args.subList(0, jar));
    }

    /** Runs {@code ctrun args} in the child and returns its exit status. */
    static int run(String[] args, PrintStream err) throws InterruptedException {
        Path jar;
        try {
            jar = Path.of(CtRunChild.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw CliError.fatal("cannot find the agent jar to run ctrun in: " + e);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions().orElse(List.of()));
        cmd.addAll(List.of("-Xshare:off", "-D" + CHILD_PROPERTY + "=true", "-jar", jar.toString(), "ctrun"));
        cmd.addAll(List.of(args));
        Process child;
        try {
            child = new ProcessBuilder(cmd).inheritIO().start();
        } catch (java.io.IOException e) {
            throw CliError.fatal("cannot start the JVM to run the command in: " + e.getMessage());
        }
        Thread stop = new Thread(child::destroy, "ctrun-stop-child");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return child.waitFor();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook ends the child
            }
        }
    }
}
