package io.jcontract.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.jcontract.management.ContractsMXBean;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import javax.management.JMX;

/**
 * A connection to the {@link ContractsMXBean} of another JVM chosen by pid.
 *
 * <h2>Theory of operation</h2>
 * No network: the command attaches (the JDK's attach mechanism, a local
 * Unix socket of the target's user) and reads the target's system
 * properties. A target whose {@link ControlServer} channel is open names
 * its Unix-domain socket there; otherwise, if it runs jcontract (the
 * property {@value #MARKER} is set by the agent and by
 * {@code ContractsMXBean.register()}), the command loads the agent jar it
 * runs from into the target with {@link ControlServer#AGENT_ARG}, which
 * opens the channel once for the JVM's life (the JDK prints its
 * dynamic-agent warning then, once, unless the target runs with
 * {@code -XX:+EnableDynamicAgentLoading}). A JVM without jcontract is left
 * untouched. The command then talks to the MXBean through the channel.
 * Each way this can fail gets its own one-line message: no such process, a
 * process that is not a JVM (or does not take attach), a JVM that refused
 * the attach, a JVM without jcontract. Text from the target (a command
 * line, an error) is made printable first.
 */
final class TargetJvm implements AutoCloseable {
    /** The system property that says a JVM runs jcontract's management (see {@code PlatformRegistration}). */
    static final String MARKER = io.jcontract.management.PlatformRegistration.MARKER_PROPERTY;

    final long pid;
    final ContractsMXBean contracts;
    private final ControlClient client;

    private TargetJvm(long pid, ControlClient client, ContractsMXBean contracts) {
        this.pid = pid;
        this.client = client;
        this.contracts = contracts;
    }

    /**
     * Connects to the JVM with process id {@code pidText}.
     *
     * @throws CliError (usage) for a pid that is not a number, (fatal) for every way the connection can fail
     */
    static TargetJvm connect(String pidText) {
        long pid = Options.number(pidText, "pid", 1, Long.MAX_VALUE);
        if (pid == ProcessHandle.current().pid())
            throw CliError.fatal("pid " + pid + " is this command itself; give the pid of the JVM to look at");
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) throw CliError.fatal("no process has pid " + pid);
        String what = process.get().info().command().map(c -> " (" + printable(c) + ")").orElse("");
        Path socket = channel(pid, what);
        ControlClient client;
        try {
            client = ControlClient.connect(socket);
        } catch (ControlClient.NotServed e) {
            throw CliError.fatal("Java VM " + pid + what + " does not run jcontract: " + printable(e.getMessage()));
        } catch (IOException e) {
            throw CliError.fatal("cannot connect to the jcontract channel " + socket + " of Java VM " + pid + ": "
                    + printable(String.valueOf(e.getMessage())));
        }
        return new TargetJvm(pid, client, JMX.newMXBeanProxy(client.connection(), ContractsMXBean.objectName(),
                ContractsMXBean.class));
    }

    /** Attaches to {@code pid} and returns the path of its channel's socket, opening the channel if need be. */
    private static Path channel(long pid, String what) {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(String.valueOf(pid));
        } catch (AttachNotSupportedException e) {
            boolean listed = VirtualMachine.list().stream().anyMatch(d -> d.id().equals(String.valueOf(pid)));
            if (!listed)
                throw CliError.fatal("process " + pid + what + " is not a Java VM that accepts attach: "
                        + printable(e.getMessage()));
            throw CliError.fatal("Java VM " + pid + " refused the attach: " + printable(e.getMessage())
                    + " (started with -XX:+DisableAttachMechanism, or by another user?)");
        } catch (IOException | RuntimeException e) {
            throw CliError.fatal("Java VM " + pid + what + " refused the attach: " + printable(e.toString())
                    + " (started with -XX:+DisableAttachMechanism, or by another user?)");
        }
        try {
            Properties props = vm.getSystemProperties();
            String socket = props.getProperty(ControlServer.SOCKET_PROPERTY);
            if (socket != null) return Path.of(socket);
            if (props.getProperty(MARKER) == null) {
                String version = props.getProperty("java.specification.version", "?");
                throw CliError.fatal("Java VM " + pid + what + " does not run jcontract: it has no MBean "
                        + ContractsMXBean.OBJECT_NAME + " (start it with -javaagent:jcontract-agent.jar, "
                        + "or have it call ContractsMXBean.register())"
                        + (feature(version) < 21 ? "; it runs Java " + printable(version)
                        + ", and jcontract needs Java 21 or newer" : ""));
            }
            vm.loadAgent(agentJar().toString(), ControlServer.AGENT_ARG);
            props = vm.getSystemProperties();
            socket = props.getProperty(ControlServer.SOCKET_PROPERTY);
            if (socket != null) return Path.of(socket);
            throw CliError.fatal("Java VM " + pid + what + " could not open the jcontract channel: "
                    + printable(props.getProperty(ControlServer.ERROR_PROPERTY, "no reason given")));
        } catch (AgentLoadException | AgentInitializationException e) {
            throw CliError.fatal("Java VM " + pid + what + " could not load the jcontract agent to open its channel: "
                    + printable(e.toString()) + " (started with -XX:-EnableDynamicAgentLoading?)");
        } catch (IOException e) {
            throw CliError.fatal("lost the attach connection to Java VM " + pid + ": " + printable(e.toString()));
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the channel does not need the attach connection
            }
        }
    }

    /** The agent jar this command runs from: what it loads into a target to open the channel. */
    private static Path agentJar() {
        try {
            Path self = Path.of(TargetJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self)) return self.toAbsolutePath();
        } catch (Exception e) {
            // below
        }
        throw CliError.fatal("cannot find jcontract-agent.jar to open the target's channel: run the tools from the "
                + "agent jar (java -jar jcontract-agent.jar ...)");
    }

    /** The feature number of a {@code java.specification.version} ("1.8" is 8, "17" is 17), 0 if unreadable. */
    static int feature(String specVersion) {
        try {
            String v = specVersion.startsWith("1.") ? specVersion.substring(2) : specVersion;
            int dot = v.indexOf('.');
            return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * {@code text} fit for a one-line message: the NULs that separate a command line's words
     * become spaces, other control characters {@code ?}.
     */
    static String printable(String text) {
        if (text == null) return "";
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(c == 0 ? ' ' : c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString().strip();
    }

    /** What a remote call's failure means for the user: the target's own message, or a lost connection. */
    CliError failure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException io) return CliError.fatal("lost the connection to Java VM " + pid + ": " + io);
            if (c instanceof io.jcontract.ContractException ce) return CliError.fatal(ce.getMessage());
            if (c instanceof ControlClient.RemoteFailure rf) return CliError.fatal(rf.toString());
        }
        return CliError.fatal(t.toString());
    }

    /** The first throwable of type {@code type} in {@code t}'s cause chain (JMX wraps what the MXBean threw), or null. */
    static Throwable find(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause())
            if (type.isInstance(c)) return c;
        return null;
    }

    @Override
    public void close() {
        client.close();
    }
}
