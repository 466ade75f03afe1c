package io.jcontract.agent;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Whether this JVM is dumping a class-data archive at exit: a JDK 25 AOT training run
 * ({@code -XX:AOTCacheOutput}, {@code -XX:AOTMode=record}) or {@code -XX:ArchiveClassesAtExit}. On JDK 25
 * such a dump crashes the JVM (SIGSEGV in {@code ArchiveBuilder::record_regenerated_object}, from
 * {@code RegeneratedClasses::record_regenerated_objects}) once any loaded class has been retransformed,
 * so the installer then weaves only the classes loaded after it (see {@code scripts/startup.sh}).
 * Asked of {@code jdk.internal.misc.CDS}, which the agent exports to itself for the one call; a JDK
 * without that method answers false.
 */
final class AotTraining {
    private AotTraining() {
    }

    static boolean dumping(Instrumentation inst) {
        try {
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.misc",
                    Set.of(AotTraining.class.getModule())), Map.of(), Set.of(), Map.of());
            Class<?> cds = Class.forName("jdk.internal.misc.CDS", false, null);
            return (Boolean) cds.getMethod("isDumpingArchive").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
