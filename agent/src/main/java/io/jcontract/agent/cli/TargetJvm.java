package io.jcontract.agent.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.jcontract.management.ContractsMXBean;

import java.io.IOException;
import java.util.Optional;

import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A connection to the {@link ContractsMXBean} of another JVM chosen by pid.
 *
 * <h2>Theory of operation</h2>
 * The Attach API asks the target to start its local JMX agent (the one
 * {@code jcmd ManagementAgent.start_local} starts: a connector reachable
 * only from this machine and this user) and returns its address; the
 * command then talks JMX to the MXBean. Each way this can fail gets its own
 * message: no such process, a process that is not a JVM (or does not take
 * attach), a JVM that refused the attach, a JVM without jcontract.
 */
final class TargetJvm implements AutoCloseable {
    final long pid;
    final ContractsMXBean contracts;
    private final JMXConnector connector;

    private TargetJvm(long pid, JMXConnector connector, ContractsMXBean contracts) {
        this.pid = pid;
        this.connector = connector;
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
        String what = process.get().info().command().map(c -> " (" + c + ")").orElse("");
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(String.valueOf(pid));
        } catch (AttachNotSupportedException e) {
            boolean listed = VirtualMachine.list().stream().anyMatch(d -> d.id().equals(String.valueOf(pid)));
            if (!listed)
                throw CliError.fatal("process " + pid + what + " is not a Java VM that accepts attach: " + e.getMessage());
            throw CliError.fatal("Java VM " + pid + " refused the attach: " + e.getMessage()
                    + " (started with -XX:+DisableAttachMechanism, or by another user?)");
        } catch (IOException | RuntimeException e) {
            throw CliError.fatal("Java VM " + pid + what + " refused the attach: " + e
                    + " (started with -XX:+DisableAttachMechanism, or by another user?)");
        }
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } catch (IOException e) {
            throw CliError.fatal("Java VM " + pid + " could not start its local JMX agent: " + e.getMessage());
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the JMX agent, once started, does not need the attach connection
            }
        }
        JMXConnector connector;
        MBeanServerConnection server;
        try {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
            server = connector.getMBeanServerConnection();
        } catch (IOException e) {
            throw CliError.fatal("cannot connect to the JMX agent of Java VM " + pid + " at " + address + ": " + e);
        }
        try {
            if (!server.isRegistered(ContractsMXBean.objectName())) {
                connector.close();
                throw CliError.fatal("Java VM " + pid + what + " does not run jcontract: it has no MBean "
                        + ContractsMXBean.OBJECT_NAME + " (start it with -javaagent:jcontract-agent.jar, "
                        + "or have it call ContractsMXBean.register())");
            }
        } catch (IOException e) {
            throw CliError.fatal("lost the connection to Java VM " + pid + ": " + e);
        }
        return new TargetJvm(pid, connector, JMX.newMXBeanProxy(server, ContractsMXBean.objectName(),
                ContractsMXBean.class));
    }

    /** What a remote call's failure means for the user: the target's own message, or a lost connection. */
    CliError failure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException io) return CliError.fatal("lost the connection to Java VM " + pid + ": " + io);
            if (c instanceof io.jcontract.ContractException ce) return CliError.fatal(ce.getMessage());
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
        try {
            connector.close();
        } catch (IOException ignored) {
            // the target may be gone already
        }
    }
}
