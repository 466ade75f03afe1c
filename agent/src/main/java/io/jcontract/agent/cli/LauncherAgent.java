package io.jcontract.agent.cli;

import io.jcontract.agent.JContractAgent;

import java.lang.instrument.Instrumentation;

/**
 * The jar's launcher agent (through {@code Launcher}, the manifest's
 * {@code Launcher-Agent-Class}): when the jar is run with {@code java -jar},
 * the JVM calls this before {@link Main}. For {@code ctrun} it installs the
 * agent, so that the command's threads and pooled tasks join the contract
 * without {@code -javaagent}; ctstat and ctwatch only read the target and
 * do not pay for instrumentation. The command word is read from
 * {@code sun.java.command} ("{@code <jar> <command> ...}"), since a launcher
 * agent gets no arguments.
 *
 * <p>The default loading path (the lookup bridge) installs in this JVM. With
 * the {@code boot} loader and class data sharing on ({@code java.vm.info}
 * says "sharing", the default), installing would make the JVM warn that the
 * bootstrap class path was appended to, at every run; so it does not
 * install, and {@link Main} runs ctrun in a child JVM with
 * {@code -Xshare:off} instead ({@link CtRunChild}).
 */
public final class LauncherAgent {
    /** Set when ctrun must run in a child JVM without class sharing (read by {@link Main}). */
    static volatile boolean childWithoutSharing;

    private LauncherAgent() {
    }

    public static void agentmain(String args, Instrumentation inst) throws Exception {
        if (!"ctrun".equals(commandWord(System.getProperty("sun.java.command", "")))) return;
        if (CtRunChild.wanted()) {
            childWithoutSharing = true;
            return;
        }
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
