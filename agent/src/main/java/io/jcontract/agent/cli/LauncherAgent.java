package io.jcontract.agent.cli;

import io.jcontract.agent.JContractAgent;

import java.lang.instrument.Instrumentation;

/**
 * The jar's {@code Launcher-Agent-Class}: when the jar is run with
 * {@code java -jar}, the JVM calls this before {@link Main}. For
 * {@code ctrun} it installs the agent, so that the command's threads and
 * pooled tasks join the contract without {@code -javaagent}; ctstat and
 * ctwatch only talk JMX and do not pay for instrumentation. The command
 * word is read from {@code sun.java.command} ("{@code <jar> <command> ...}"),
 * since a launcher agent gets no arguments.
 */
public final class LauncherAgent {
    private LauncherAgent() {
    }

    public static void agentmain(String args, Instrumentation inst) throws Exception {
        if ("ctrun".equals(commandWord(System.getProperty("sun.java.command", ""))))
            JContractAgent.premain(null, inst);   // before main: as at start-up
    }

    /** The first word after the jar path in {@code sun.java.command}, or null. */
    static String commandWord(String javaCommand) {
        int jar = javaCommand.indexOf(".jar ");
        if (jar < 0) return null;
        String rest = javaCommand.substring(jar + 5).trim();
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }
}
