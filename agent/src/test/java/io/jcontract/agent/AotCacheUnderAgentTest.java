package io.jcontract.agent;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 13: a JDK 25 AOT cache can be created with the agent on (the training run crashed the JVM in
 * {@code ArchiveBuilder::record_regenerated_object} once the agent had retransformed a loaded class),
 * and used with it. With the lookup bridge ({@code loader=lookup}) the cache must be usable for every
 * loader: {@code -XX:AOTMode=on} makes the JVM fail if it cannot map it. The child is a jar (the JDK
 * archives classes from jars only) with one thread and one pool task.
 */
@Timeout(300)
class AotCacheUnderAgentTest {
    /** The child: a thread and a pool task, so woven code runs in both the training and the cached run. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Thread t = new Thread(() -> { });
            t.start();
            t.join();
            ExecutorService pool = Executors.newFixedThreadPool(1);
            pool.submit(() -> { }).get(30, TimeUnit.SECONDS);
            pool.shutdown();
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) System.exit(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "loader=lookup"})
    void anAotCacheIsCreatedAndUsedUnderTheAgent(String agentArgs, @TempDir Path dir) throws Exception {
        String jar = System.getProperty("jcontract.test.agentJar");
        assumeTrue(jar != null, "jcontract.test.agentJar is not set: not the agent-tests execution");
        assumeTrue(Runtime.version().feature() >= 25, "-XX:AOTCacheOutput is JDK 25's");
        Path app = dir.resolve("child.jar");
        String entry = Child.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(app));
             InputStream in = Child.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        Path cache = dir.resolve("child.aot");
        String agent = "-javaagent:" + jar + (agentArgs.isEmpty() ? "" : "=" + agentArgs);

        Run train = run(dir, "train", agent, "-XX:AOTCacheOutput=" + cache, "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"),
                "-cp", app.toString(), Child.class.getName());
        assertEquals(0, train.rc, () -> "the training run failed:\n" + train.log);
        assertTrue(Files.size(cache) > 0, () -> "no cache written:\n" + train.log);

        List<String> use = new ArrayList<>(List.of(agent, "-XX:AOTCache=" + cache));
        if (!agentArgs.isEmpty()) use.add("-XX:AOTMode=on");  // the lookup bridge keeps the cache mappable
        use.addAll(List.of("-cp", app.toString(), Child.class.getName()));
        Run cached = run(dir, "cached", use.toArray(new String[0]));
        assertEquals(0, cached.rc, () -> "the run with the cache failed:\n" + cached.log);
        if (!agentArgs.isEmpty())
            assertFalse(cached.log.contains("Sharing is only supported for boot loader classes"), cached.log);
    }

    private record Run(int rc, String log) {
    }

    private static Run run(Path dir, String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow"));
        cmd.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            assertTrue(p.waitFor(240, TimeUnit.SECONDS), () -> name + " did not end:\n" + read(log));
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), read(log));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }
}
