/**
 * jcontract's core: process contracts for the JVM (the public API, {@code io.jcontract}) and its
 * management facade ({@code io.jcontract.management}: the platform MXBean and the counters a metrics
 * binder reads).
 *
 * <p>The kernel, {@code io.jcontract.internal} (and its JFR events, {@code .jfr}), is not exported:
 * an application module that requires {@code io.jcontract} cannot compile against it, and cannot
 * reach it by reflection ({@code ModuleBoundaryTest}). No other jcontract module needs it: the
 * restarter, the Micrometer binder and the adapters use the API only, so there is no qualified export.
 *
 * <p>Two ways around the boundary, both outside this descriptor:
 * <ul>
 * <li>On the class path this jar is part of the unnamed module and the descriptor is ignored: every
 *     public class is reachable there. What changes JVM-wide policy still checks a privilege
 *     ({@link io.jcontract.Privilege#SYS_RESOURCE}) of the calling thread's credential.</li>
 * <li>The java agent defines core on the bootstrap class path (the unnamed module of the boot
 *     loader), where woven JDK code reaches it; the agent is itself a class-path jar and reads it
 *     there. So the agent needs neither a qualified export nor {@code Instrumentation.redefineModule}
 *     for core ({@code redefineModule} is used for the JDK's own {@code jdk.internal.vm} only).</li>
 * </ul>
 */
module io.jcontract {
    requires java.management;
    requires jdk.jfr;
    requires org.jctools.core;

    exports io.jcontract;
    exports io.jcontract.management;

    // lifecycle adapters (rung 4), e.g. io.jcontract.jetty and io.jcontract.netty: without this a
    // modular application's adapters are neither bound at resolution nor loadable by the kernel
    uses io.jcontract.LifecycleAdapter;
}
