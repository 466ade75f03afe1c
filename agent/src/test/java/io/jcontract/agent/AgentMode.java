package io.jcontract.agent;

/** How this test JVM's agent reaches the woven JDK code: the lookup bridge (default) or the boot jar. */
final class AgentMode {
    private AgentMode() {
    }

    /** Whether the agent took the lookup bridge, as it says in {@link JContractAgent#INSTALLED_PROPERTY}. */
    static boolean lookup() {
        return "lookup".equals(System.getProperty(JContractAgent.INSTALLED_PROPERTY));
    }

    /** The loader core comes from: the application loader with the lookup bridge, the bootstrap loader (null) with the boot jar. */
    static ClassLoader coreLoader() {
        return lookup() ? ClassLoader.getSystemClassLoader() : null;
    }
}
