/**
 * The Netty 4 lifecycle adapter ({@link io.jcontract.netty.NettyLifecycleAdapter}): when a contract
 * is killed, rung 4 shuts down the Netty {@code EventExecutorGroup}s its members created, with no
 * quiet period, and Netty's JVM-wide {@code GlobalEventExecutor} and object cleaner threads are
 * declared infrastructure. Found by {@code ServiceLoader}, on the module path through the
 * {@code provides} below and on the class path through {@code META-INF/services}.
 *
 * <p>Netty is {@code requires static}: an application brings its own Netty 4. On the module path
 * {@code io.netty.common} does not open {@code io.netty.util.concurrent}, so the adapter cannot zero
 * the quiet period of a loop already shutting down; such a loop still ends, after its own quiet
 * period (the class path has no such limit).
 */
module io.jcontract.netty {
    requires io.jcontract;
    requires static io.netty.common;

    provides io.jcontract.LifecycleAdapter with io.jcontract.netty.NettyLifecycleAdapter;
}
