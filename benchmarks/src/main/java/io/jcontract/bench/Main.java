package io.jcontract.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmarks jar's main class: JMH's command line, run in two passes in one process.
 *
 * <p>Theory of operation. Every JMH benchmark runs in forked JVMs whose flags come from
 * {@code @Fork} or the command line, and neither can name a file found at run time; the agent
 * benchmarks ({@code io.jcontract.bench.agent}) need {@code -javaagent:<path>}. So this parses
 * JMH's own options, runs the selected benchmarks outside that package as given, then those inside
 * it with {@code -javaagent} prepended to their forks' flags, and writes the results of both passes
 * into the one result file asked for ({@code -rf}, {@code -rff}): each variant and its baseline
 * come from the same invocation, with the same options, on the same JVM.
 *
 * <p>The agent jar: the system property {@value #AGENT_JAR_PROPERTY}, else
 * {@code ../../agent/target/jcontract-agent.jar} from this jar (its place in the source tree). Every
 * fork also gets the property (benchmark 6 starts JVMs with the agent) and, on JDK 23+, the flag
 * that silences JCTools' {@code sun.misc.Unsafe} warnings. {@code -h}, {@code -l} and the other
 * listing options go to JMH's own main unchanged.
 */
public final class Main {
    /** The agent jar's path, for this main and for the forks. */
    public static final String AGENT_JAR_PROPERTY = "jcontract.bench.agentJar";
    /** Set in the forks of the agent pass, where {@link InContract} checks that the agent forks. */
    static final String EXPECT_AGENT_PROPERTY = "jcontract.bench.expectAgent";
    private static final String AGENT_PACKAGE = "io.jcontract.bench.agent.";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (cli.shouldHelp() || cli.shouldList() || cli.shouldListWithParams() || cli.shouldListProfilers()
                || cli.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }

        Path agentJar = agentJar();
        List<String> prepend = new ArrayList<>(cli.getJvmArgsPrepend().orElse(List.of()));
        if (Runtime.version().feature() >= 23) prepend.add("--sun-misc-unsafe-memory-access=allow");
        if (agentJar != null) prepend.add("-D" + AGENT_JAR_PROPERTY + "=" + agentJar);

        ResultFormatType format = cli.getResultFormat().orElse(ResultFormatType.CSV);
        boolean wantFile = cli.getResult().hasValue() || cli.getResultFormat().hasValue();
        String file = cli.getResult().orElse("jmh-result." + format.toString().toLowerCase(Locale.ROOT));

        List<RunResult> all = new ArrayList<>();
        Path scratch = Files.createTempDirectory("jcontract-bench");
        try {
            // Pass 1: everything outside the agent package, as given.
            all.addAll(pass(new OptionsBuilder().parent(cli)
                    .exclude("\\Q" + AGENT_PACKAGE + "\\E")
                    .jvmArgsPrepend(prepend.toArray(String[]::new))
                    .resultFormat(format).result(scratch.resolve("plain").toString()), "without the agent"));
            // Pass 2: only the agent package (an exclude of every other name), with -javaagent.
            List<String> withAgent = new ArrayList<>(prepend);
            if (agentJar != null) withAgent.add("-javaagent:" + agentJar);
            withAgent.add("-D" + EXPECT_AGENT_PROPERTY + "=true");
            ChainedOptionsBuilder agentPass = new OptionsBuilder();
            agentPass.parent(cli)
                    .exclude("^(?!\\Q" + AGENT_PACKAGE + "\\E)")
                    .jvmArgsPrepend(withAgent.toArray(String[]::new))
                    .resultFormat(format).result(scratch.resolve("agent").toString());
            if (agentJar == null) {
                if (selects(agentPass)) throw new IllegalStateException("no agent jar: build agent/ (mvn install) or set -D"
                        + AGENT_JAR_PROPERTY + "=<path to jcontract-agent.jar>");
            } else {
                all.addAll(pass(agentPass, "with -javaagent:" + agentJar));
            }
        } finally {
            try (var files = Files.list(scratch)) {
                for (Path p : files.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(scratch);
        }
        if (all.isEmpty()) {
            System.err.println("No matching benchmarks.");
            System.exit(1);
        }
        if (wantFile) {
            ResultFormatFactory.getInstance(format, file).writeOut(all);
            System.out.println("jcontract-bench: " + all.size() + " results, both passes, in " + file);
        }
    }

    /** Runs one pass; a pass that selects nothing is skipped. */
    private static List<RunResult> pass(ChainedOptionsBuilder options, String what) throws RunnerException {
        if (!selects(options)) return List.of();
        System.out.println("jcontract-bench: benchmarks " + what);
        return new ArrayList<>(new Runner(options.build()).run());
    }

    private static boolean selects(ChainedOptionsBuilder options) {
        Options o = options.build();
        List<String> includes = o.getIncludes().isEmpty() ? List.of(".*") : o.getIncludes();
        OutputFormat silent = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);
        return !BenchmarkList.defaultList().find(silent, includes, o.getExcludes()).isEmpty();
    }

    private static Path agentJar() throws URISyntaxException {
        String prop = System.getProperty(AGENT_JAR_PROPERTY);
        if (prop != null) {
            Path p = Path.of(prop).toAbsolutePath().normalize();
            if (!Files.isRegularFile(p)) throw new IllegalStateException(AGENT_JAR_PROPERTY + "=" + prop + ": no such file");
            return p;
        }
        Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path guess = self.toAbsolutePath().getParent().resolve("../../agent/target/jcontract-agent.jar").normalize();
        return Files.isRegularFile(guess) ? guess : null;
    }
}
