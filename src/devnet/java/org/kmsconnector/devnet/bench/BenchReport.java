package org.kmsconnector.devnet.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The benchmark's table (markdown, so it pastes into docs/benchmarks.md as printed) and notes. */
final class BenchReport {
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void stage(String stage, StageClock.Measure m, String baseline, double baselineRate) {
        rows.add(String.format("| %s | %d | %.2f | %.0f | %s | %.0f | %.2f |", stage, m.items(), m.seconds(),
                m.rate(), baseline, baselineRate, m.rate() / baselineRate));
    }

    /** A second baseline for a stage already listed. */
    void baselineOnly(String stage, StageClock.Measure m, String baseline, double baselineRate) {
        rows.add(String.format("| %s | | | %.0f | %s | %.0f | %.2f |", stage, m.rate(), baseline, baselineRate,
                m.rate() / baselineRate));
    }

    void note(String line) {
        notes.add(line);
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("| stage | items | seconds | rate (/s) | baseline | baseline rate (/s) | ratio |\n");
        sb.append("|---|---:|---:|---:|---|---:|---:|\n");
        rows.forEach(r -> sb.append(r).append('\n'));
        sb.append('\n');
        notes.forEach(n -> sb.append("- ").append(n).append('\n'));
        return sb.toString();
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
