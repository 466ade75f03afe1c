package io.jcontract.restarter.management;

import io.jcontract.restarter.Health;
import io.jcontract.restarter.Restarter;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Objects;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers a restarter's {@link RestarterMXBean} in the platform MBean
 * server. Nothing is registered by itself: the application calls
 * {@link #register} once the restarter is built, and {@link #unregister}
 * when it is done with it (the MXBean refers to the restarter).
 */
public final class RestarterRegistration {
    private RestarterRegistration() {
    }

    /**
     * Registers the MXBean of {@code restarter} under
     * {@code io.jcontract:type=Restarter,name=<its name>}.
     *
     * @return the object name
     * @throws IllegalStateException if another restarter of that name is registered
     */
    public static ObjectName register(Restarter restarter) {
        Objects.requireNonNull(restarter, "restarter");
        ObjectName name = objectName(restarter.name());
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.registerMBean(new Impl(restarter), name);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException("an MXBean " + name + " is already registered (restarter names must differ)", e);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + name, e);
        }
        return name;
    }

    /** Unregisters the MXBean of {@code restarter}; nothing happens if it is not registered. */
    public static void unregister(Restarter restarter) {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName(restarter.name()));
        } catch (InstanceNotFoundException e) {
            // not registered: nothing to do
        } catch (JMException e) {
            throw new IllegalStateException("cannot unregister the MXBean of restarter " + restarter.name(), e);
        }
    }

    /** The object name of the restarter called {@code restarterName}. */
    public static ObjectName objectName(String restarterName) {
        try {
            return new ObjectName(RestarterMXBean.OBJECT_NAME_PREFIX + ObjectName.quote(restarterName));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("restarter name " + restarterName + " makes no object name", e);
        }
    }

    /** The MXBean: each attribute from a fresh health snapshot. */
    private record Impl(Restarter r) implements RestarterMXBean {
        @Override public boolean isLive() { return r.health().live(); }
        @Override public boolean isReady() { return r.health().ready(); }
        @Override public List<String> getFailing() { return r.health().failing(); }
        @Override public String getSummary() { return r.health().summary(); }
        @Override public int getServicesOnline() { return r.health().online(); }
        @Override public int getServices() { Health h = r.health(); return h.total(); }
        @Override public int getGeneration() { return r.generation(); }
    }
}
