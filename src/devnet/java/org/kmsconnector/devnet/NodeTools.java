package org.kmsconnector.devnet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the npm-installed tools (anvil) of the project: `npm install` at the repository root puts them there. */
public final class NodeTools {
    private NodeTools() {}

    public static Path anvil() {
        String override = System.getenv("ANVIL_BIN");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return find("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
    }

    /** Looks under KMSC_HOME (or -Dkmsc.home), then the working directory and its parents. */
    static Path find(String relative) {
        List<Path> roots = new ArrayList<>();
        String home = System.getProperty("kmsc.home", System.getenv("KMSC_HOME"));
        if (home != null && !home.isBlank()) {
            roots.add(Path.of(home));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            roots.add(p);
        }
        for (Path root : roots) {
            Path candidate = root.resolve(relative);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found: run `npm install` at the repository root"
                + " (or set KMSC_HOME to it)");
    }
}
