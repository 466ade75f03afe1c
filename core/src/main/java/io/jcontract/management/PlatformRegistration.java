package io.jcontract.management;

import io.jcontract.Privilege;
import io.jcontract.internal.Credentials;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;

/**
 * Registers {@link ContractsMXBean} in the platform MBean server when that
 * server comes into being, so the agent can offer the MXBean without paying
 * for JMX at start-up.
 *
 * <h2>Theory of operation</h2>
 * Creating the platform MBean server costs a few hundred milliseconds of
 * class loading; most JVMs never create it, and one that does (a JMX client
 * attaching, the application asking for it) creates it once. JMX builds
 * every MBean server through the {@link MBeanServerBuilder} named by the
 * system property {@value #BUILDER_PROPERTY}: {@link #install} names this
 * class there (unless the application named its own), and this builder,
 * asked for a server on behalf of {@code ManagementFactory}, registers the
 * MXBean in it before anybody can look. When the property is taken, or the
 * server may already exist (the agent loaded into a running JVM), the
 * MXBean is registered at once, on a daemon thread.
 */
public final class PlatformRegistration extends MBeanServerBuilder {
    /** The standard JMX property that names the MBean server builder. */
    public static final String BUILDER_PROPERTY = "javax.management.builder.initial";

    /**
     * Set (to "agent" or "registered") once this JVM offers the MXBean: the tools read it through
     * the attach mechanism before they open their channel into a JVM.
     */
    public static final String MARKER_PROPERTY = "jcontract.mxbean";

    /** For JMX, which instantiates the builder by name. */
    public PlatformRegistration() {
    }

    /**
     * Arranges for the MXBean to be in the platform MBean server: at its
     * creation if it does not exist yet, else now, in the background.
     *
     * @param serverMayExist whether the platform MBean server may already have been created
     * @throws io.jcontract.ContractPermissionException ({@code EPERM}) without the
     *         {@link Privilege#SYS_RESOURCE} privilege (it sets a JVM-wide system property)
     */
    public static void install(boolean serverMayExist) {
        Credentials.require(Privilege.SYS_RESOURCE, "install the platform MXBean registration");
        System.setProperty(MARKER_PROPERTY, "agent");
        if (!serverMayExist && System.getProperty(BUILDER_PROPERTY) == null) {
            System.setProperty(BUILDER_PROPERTY, PlatformRegistration.class.getName());
            return;
        }
        Thread.ofPlatform().daemon().name("jcontract-mxbean").start(ContractsMXBean::register);
    }

    /**
     * Arranges for the MXBean to be registered on first use, for an agent whose classes are not on
     * the bootstrap class path (its lookup bridge, the default): JMX loads the builder named by
     * {@value #BUILDER_PROPERTY} through the creating thread's context class loader, or from the
     * bootstrap loader when there is none, so naming this class there would break the platform
     * MBean server for a thread without one. Only the marker is set; the tools' channel registers
     * the MXBean ({@link ContractsMXBean#register}) when a tool first connects, and the application
     * may register it itself.
     *
     * @throws io.jcontract.ContractPermissionException ({@code EPERM}) without the
     *         {@link Privilege#SYS_RESOURCE} privilege (it sets a JVM-wide system property)
     */
    public static void installOnFirstUse() {
        Credentials.require(Privilege.SYS_RESOURCE, "install the platform MXBean registration");
        System.setProperty(MARKER_PROPERTY, "agent");
    }

    @Override
    public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
        MBeanServer server = super.newMBeanServer(defaultDomain, outer, delegate);
        if (outer == null && forPlatform()) {
            try {
                server.registerMBean(ContractsMBeanImpl.standardMBean(), ContractsMXBean.objectName());
            } catch (JMException e) {
                // the server works without it; the tools will report the MXBean missing
                System.err.println("jcontract: cannot register " + ContractsMXBean.OBJECT_NAME + ": " + e);
            }
        }
        return server;
    }

    /** Whether the server being built is the platform one (other MBean servers are the application's). */
    private static boolean forPlatform() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(
                f -> f.getClassName().equals("java.lang.management.ManagementFactory")));
    }
}
