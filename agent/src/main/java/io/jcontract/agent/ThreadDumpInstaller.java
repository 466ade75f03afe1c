package io.jcontract.agent;

import io.jcontract.agent.boot.Bridge;
import io.jcontract.agent.boot.ThreadDumpContainers;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Puts contracts into the JDK's own thread dump ({@code jcmd <pid>
 * Thread.dump_to_file -format=json}) when this JDK allows: checks its
 * {@code jdk.internal.vm} classes ({@link ThreadDumpContainers#unsupported}),
 * exports that package to the bootstrap loader's unnamed module (where the
 * bridge and the core live) and installs the container factory. A JDK that
 * differs gets one line on standard error naming what is missing, and
 * nothing else changes. Off with {@code -Djcontract.threadDump=false}.
 */
final class ThreadDumpInstaller {
    /** Whether the containers are installed (for tests and tools). */
    static volatile boolean installed;

    private ThreadDumpInstaller() {
    }

    static void install(Instrumentation inst, boolean verbose) {
        if ("false".equalsIgnoreCase(System.getProperty("jcontract.threadDump"))) return;
        String missing = ThreadDumpContainers.unsupported();
        if (missing != null) {
            System.err.println("[jcontract-agent] warning: JDK " + Runtime.version() + " differs from what the"
                    + " thread-dump view expects (" + missing + "): contracts are not shown in Thread.dump_to_file");
            return;
        }
        try {
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.vm",
                    Set.of(Bridge.class.getModule())), Map.of(), Set.of(), Map.of());
            ThreadDumpContainers.install();
            installed = true;
            if (verbose) System.err.println("[jcontract-agent] contracts are shown in the JDK's thread dump");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            System.err.println("[jcontract-agent] warning: contracts are not shown in Thread.dump_to_file: " + e);
        }
    }
}
