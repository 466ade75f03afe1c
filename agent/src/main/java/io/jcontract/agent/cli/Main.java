package io.jcontract.agent.cli;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The agent jar as a command-line tool: {@code java -jar jcontract-agent.jar
 * ctstat|ctwatch|ctrun ...}. Dispatches on the first argument; each command
 * has its own {@code --help}. Errors are one line on standard error, with
 * the command's usage after a usage error; the exit status is the
 * command's (ctstat and ctwatch: 1 error, 2 usage; ctrun: 124 and 125, as
 * the illumos commands' exit profiles).
 */
public final class Main {
    static final String USAGE = """
            Usage: java -jar jcontract-agent.jar <command> [options]
              ctstat   show the contracts of a running JVM (by pid)
              ctwatch  show the events of a running JVM's contracts as they happen
              ctrun    run a Java command in a new contract of this JVM
            <command> --help shows a command's options; --version the version.""";

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        if (status != CtRun.KEEP_RUNNING) System.exit(status);
    }

    /** The version of the jar the tools run from (its manifest's Implementation-Version). */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        if (v != null) return v;
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(java.nio.file.Path.of(
                Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toFile())) {
            v = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        } catch (Exception notAJar) {
            v = null;
        }
        return v == null ? "unknown (not run from the agent jar)" : v;
    }

    /**
     * Runs the command {@code args[0]} with the rest of {@code args}, printing to {@code out} and {@code err}.
     *
     * @return the exit status, or {@link CtRun#KEEP_RUNNING} when the JVM must go on (ctrun -l none)
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("--version")) {
            out.println("jcontract (jcontract) " + version());
            return 0;
        }
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String name = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        String usage = switch (name) {
            case "ctstat" -> CtStat.USAGE;
            case "ctwatch" -> CtWatch.USAGE;
            case "ctrun" -> CtRun.USAGE;
            default -> null;
        };
        if (usage == null) {
            err.println("jcontract: unknown command '" + name + "'");
            err.println(USAGE);
            return 2;
        }
        boolean ctrun = name.equals("ctrun");
        if (rest.length > 0 && (rest[0].equals("--help") || rest[0].equals("-h") || rest[0].equals("-?"))) {
            out.println(usage);
            return 0;
        }
        if (rest.length > 0 && rest[0].equals("--version")) {
            out.println(name + " (jcontract) " + version());
            return 0;
        }
        try {
            return switch (name) {
                case "ctstat" -> CtStat.run(rest, out, err);
                case "ctwatch" -> CtWatch.run(rest, out, err);
                default -> LauncherAgent.childWithoutSharing ? CtRunChild.run(rest, err) : CtRun.run(rest, out, err);
            };
        } catch (CliError e) {
            err.println(name + ": " + e.getMessage());
            if (e.usage) err.println(usage);
            return e.usage ? (ctrun ? CtRun.USAGE_STATUS : 2) : (ctrun ? CtRun.FATAL_STATUS : 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ctrun ? CtRun.FATAL_STATUS : 1;
        }
    }
}
