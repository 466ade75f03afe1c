package io.jcontract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a newcomer copies from the README (and from {@code docs/}) must work:
 * every {@code ```java} block compiles as shown against the core module, the
 * README opens with {@code ./jc demo} and {@code ./jc test}, every
 * {@code ./jc <command>} it names is one that {@code jc} accepts, and every
 * relative link points at a file of the repository.
 */
@Timeout(120)
class ReadmeTest {
    private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*$");
    private static final Pattern TYPE = Pattern.compile(
            "(?m)^\\s*(?:(?:public|final|abstract|sealed|non-sealed|static)\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern JC = Pattern.compile("\\./jc ([a-z][\\w-]*)");

    /** A fenced block of a markdown file. */
    record Block(Path file, int line, String lang, String text) {
        String where(Path root) {
            return root.relativize(file) + ":" + line;
        }
    }

    @Test
    void everyJavaSnippetCompilesAsShown(@TempDir Path out) throws IOException {
        Path root = root();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no system Java compiler (the tests need a JDK)");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Block> java = new ArrayList<>();
        for (Path md : markdownFiles(root))
            for (Block b : blocks(md)) if (b.lang().equals("java")) java.add(b);
        assertFalse(java.isEmpty(), "the README has at least the 'Using it' snippet");
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (Block b : java) {
            Matcher type = TYPE.matcher(b.text());
            if (!type.find()) {
                failures.add(b.where(root) + ": not a compilation unit (declare the class it belongs to, so that it "
                        + "compiles as shown)");
                continue;
            }
            Path dir = Files.createDirectories(out.resolve("block" + n++));
            Path src = dir.resolve(type.group(1) + ".java");
            Files.writeString(src, b.text());
            DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
            try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, null, StandardCharsets.UTF_8)) {
                boolean ok = javac.getTask(null, fm, diags,
                        List.of("--release", "21", "-proc:none", "-classpath", cp, "-d", dir.toString()),
                        null, fm.getJavaFileObjects(src)).call();
                if (!ok) {
                    StringBuilder msg = new StringBuilder(b.where(root) + ": does not compile:");
                    for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics())
                        if (d.getKind() == Diagnostic.Kind.ERROR)
                            msg.append("\n    line ").append(b.line() + d.getLineNumber()).append(": ")
                                    .append(d.getMessage(null));
                    failures.add(msg.toString());
                }
            }
        }
        assertEquals(List.of(), failures, "Java snippets of the README and docs/");
    }

    @Test
    void theReadmeOpensWithTheDemoAndTheTests() throws IOException {
        Path root = root();
        Block first = blocks(root.resolve("README.md")).getFirst();
        List<String> commands = first.text().lines().map(String::strip).filter(l -> l.startsWith("./jc "))
                .map(l -> String.join(" ", List.of(l.split("\\s+")).subList(0, 2))).toList();
        assertTrue(commands.size() >= 2, () -> "the first block holds the first two commands: " + first.text());
        assertEquals(List.of("./jc demo", "./jc test"), commands.subList(0, 2), "the README's first two commands");
    }

    @Test
    void everyJcCommandTheReadmeNamesIsOneJcAccepts() throws Exception {
        Path root = root();
        Set<String> accepted = jcCommands(root);
        assertTrue(accepted.containsAll(Set.of("demo", "test", "build")), () -> "jc help lists its commands: " + accepted);
        Set<String> unknown = new TreeSet<>();
        for (Path md : markdownFiles(root)) {
            Matcher m = JC.matcher(Files.readString(md));
            while (m.find()) if (!accepted.contains(m.group(1))) unknown.add(root.relativize(md) + ": ./jc " + m.group(1));
        }
        assertEquals(Set.of(), unknown, "commands that jc does not accept (jc help lists " + accepted + ")");
    }

    @Test
    void everyRelativeLinkResolvesToAFileOfTheRepository() throws IOException {
        Path root = root();
        List<String> broken = new ArrayList<>();
        for (Path md : markdownFiles(root)) {
            String text = Files.readString(md);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z][a-z0-9+.-]*:.*") || target.startsWith("#")) continue;   // URL, anchor
                int hash = target.indexOf('#');
                if (hash >= 0) target = target.substring(0, hash);
                Path resolved = md.getParent().resolve(target).normalize();
                int line = (int) text.substring(0, m.start()).lines().count();
                if (!resolved.startsWith(root))
                    broken.add(root.relativize(md) + ":" + line + ": " + m.group(1) + " leaves the repository");
                else if (!Files.exists(resolved))
                    broken.add(root.relativize(md) + ":" + line + ": " + m.group(1) + " does not exist");
            }
        }
        assertEquals(List.of(), broken, "relative links");
    }

    // ----------------------------------------------------------------- helpers

    /** The repository's root: the nearest directory up from here with both {@code jc} and {@code README.md}. */
    static Path root() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent())
            if (Files.isRegularFile(p.resolve("jc")) && Files.isRegularFile(p.resolve("README.md"))) return p;
        return fail("no directory with jc and README.md above " + System.getProperty("user.dir"));
    }

    /** README.md and every markdown file under docs/. */
    static List<Path> markdownFiles(Path root) throws IOException {
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs))
            try (Stream<Path> s = Files.walk(docs)) {
                s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
            }
        return files;
    }

    /** The fenced blocks of a markdown file, with the line of each opening fence. */
    static List<Block> blocks(Path md) throws IOException {
        List<String> lines = Files.readAllLines(md);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i).strip());
            if (!open.matches()) continue;
            int start = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) text.append(lines.get(i)).append('\n');
            out.add(new Block(md, start + 1, open.group(1), text.toString()));
        }
        return out;
    }

    /** The commands {@code jc help} lists ("./jc build ...", "./jc demo ..."). */
    static Set<String> jcCommands(Path root) throws Exception {
        Process p = new ProcessBuilder("bash", root.resolve("jc").toString(), "help").redirectErrorStream(true).start();
        String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jc help ended");
        assertEquals(0, p.exitValue(), () -> "jc help: " + help);
        Set<String> commands = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?m)^\\s*\\./jc ([a-z][\\w-]*)").matcher(help);
        while (m.find()) commands.add(m.group(1));
        return commands;
    }
}
