package io.jcontract.agent;

/** How this test JVM's agent reaches the woven JDK code: the boot jar (default) or the lookup bridge. */
final class AgentMode {
    private AgentMode() {
    }

    /** Whether the lookup bridge's facade is in java.base ({@code loader=lookup}). */
    static boolean lookup() {
        try {
            return Class.forName(LookupBridge.FACADE, false, null) != null;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The loader core comes from: the bootstrap loader (null) by default, the application loader with the lookup bridge. */
    static ClassLoader coreLoader() {
        return lookup() ? ClassLoader.getSystemClassLoader() : null;
    }
}
