package org.kmsconnector.layout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package layout of docs/architecture.md, read from the compiled classes with jdeps: no
 * package cycle, the command line used by nobody but itself, the devnet used by no connector class.
 */
class PackageLayoutTest {
    private static final String ROOT = "org.kmsconnector.";
    private static final Map<String, Set<String>> DEPENDS = new HashMap<>();

    @BeforeAll
    static void readDependencies() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package",
                "-filter:none", "target/classes");
        assertEquals(0, rc, "jdeps on target/classes");
        Matcher m = Pattern.compile("^\\s+(org\\.kmsconnector\\.[a-z.]+)\\s+->\\s+(org\\.kmsconnector\\.[a-z.]+)",
                Pattern.MULTILINE).matcher(out.toString());
        while (m.find()) {
            String from = m.group(1).substring(ROOT.length());
            String to = m.group(2).substring(ROOT.length());
            if (!from.equals(to) && !from.startsWith("kms.") && !to.startsWith("kms.")) {
                DEPENDS.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
            }
        }
        assertTrue(DEPENDS.containsKey("worker"), "jdeps saw the connector's packages: " + DEPENDS.keySet());
    }

    @Test
    void noPackageOfTheConnectorIsInACycle() {
        for (String start : DEPENDS.keySet()) {
            if (start.startsWith("devnet")) {
                continue;
            }
            Deque<String> todo = new ArrayDeque<>(DEPENDS.get(start));
            Set<String> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                String next = todo.pop();
                assertTrue(!next.equals(start), start + " depends on itself through " + seen + ": " + DEPENDS);
                if (seen.add(next)) {
                    todo.addAll(DEPENDS.getOrDefault(next, Set.of()));
                }
            }
        }
    }

    @Test
    void onlyTheCommandLineAndTheDevnetUseTheCommandLine() {
        DEPENDS.forEach((from, to) -> assertTrue(!to.contains("cli") || from.startsWith("devnet"),
                from + " uses the command line package"));
    }

    @Test
    void noConnectorClassUsesTheDevnet() throws Exception {
        DEPENDS.forEach((from, to) -> assertTrue(from.startsWith("devnet")
                || to.stream().noneMatch(p -> p.startsWith("devnet")), from + " uses the devnet"));
        try (Stream<Path> files = Files.walk(Path.of("src/main"))) {
            List<Path> strays = files.filter(p -> p.toString().contains("devnet")).toList();
            assertEquals(List.of(), strays, "the devnet lives in src/devnet");
        }
    }
}
