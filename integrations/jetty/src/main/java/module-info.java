/**
 * The Jetty 12 lifecycle adapter ({@link io.jcontract.jetty.JettyLifecycleAdapter}): when a contract
 * is killed, rung 4 stops the Jetty {@code Server}s, {@code QueuedThreadPool}s and
 * {@code VirtualThreadPool}s its members created. Found by {@code ServiceLoader}, on the module path
 * through the {@code provides} below and on the class path through {@code META-INF/services}.
 *
 * <p>Jetty is {@code requires static}: an application brings its own Jetty 12, and this module adds
 * no Jetty version of its own. It exports nothing; the adapter is reached only as a service.
 */
module io.jcontract.jetty {
    requires io.jcontract;
    requires static org.eclipse.jetty.util;

    provides io.jcontract.LifecycleAdapter with io.jcontract.jetty.JettyLifecycleAdapter;
}
