package io.jcontract.agent.cli;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;

/**
 * The jar's {@code Main-Class} and {@code Launcher-Agent-Class}, compiled
 * for Java 8 (agent/src/main/launcher, {@code --release 8}) so that any
 * {@code java -jar jcontract-agent.jar} can load it: on a JVM older than
 * 21 it prints one line naming the problem and exits 1 (ctrun: 124),
 * instead of an {@code UnsupportedClassVersionError} and the instrument
 * library's assertion messages; on 21 or newer it hands over to
 * {@link LauncherAgent} and {@link Main}, by name, so that nothing of
 * theirs is loaded before the check.
 */
public final class Launcher {
    static final int MIN_JAVA = 21;

    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        if (feature() < MIN_JAVA) {
            System.err.println(tooOld(args.length > 0 ? args[0] : ""));
            System.exit(args.length > 0 && args[0].equals("ctrun") ? 124 : 1);
        }
        call("io.jcontract.agent.cli.Main", "main", new Class<?>[] {String[].class}, new Object[] {args});
    }

    public static void agentmain(String args, Instrumentation inst) throws Throwable {
        if (feature() < MIN_JAVA) return;   // main says why
        call("io.jcontract.agent.cli.LauncherAgent", "agentmain", new Class<?>[] {String.class, Instrumentation.class},
                new Object[] {args, inst});
    }

    /** The one line: which Java this is, where, and what to do. */
    static String tooOld(String command) {
        String tool = command.equals("ctwatch") || command.equals("ctrun") ? command : "ctstat";
        return "jcontract tools need Java " + MIN_JAVA + " or newer; this is Java "
                + System.getProperty("java.specification.version") + " (" + System.getProperty("java.home")
                + "); run ./jc " + tool + " (or the " + tool + " script), which find a JDK " + MIN_JAVA
                + "+, or run the jar with one (set JAVA_HOME, use $JAVA_HOME/bin/java)";
    }

    /** The Java feature number: "1.8" is 8, "17" is 17. */
    static int feature() {
        String v = System.getProperty("java.specification.version", "0");
        if (v.startsWith("1.")) v = v.substring(2);
        int dot = v.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void call(String className, String method, Class<?>[] types, Object[] args) throws Throwable {
        try {
            Class.forName(className).getMethod(method, types).invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
