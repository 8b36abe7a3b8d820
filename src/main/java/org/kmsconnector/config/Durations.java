package org.kmsconnector.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** humantime-style durations, as the original's TOML uses them: "500ms", "30s", "5m", "24h", "1h 30m". */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)\\s*([a-zµ]+)");

    private Durations() {}

    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (!s.substring(end, m.start()).isBlank()) {
                throw new IllegalArgumentException("cannot read '" + text + "'");
            }
            total = total.plus(unit(Long.parseLong(m.group(1)), m.group(2), text));
            end = m.end();
        }
        if (end == 0 || !s.substring(end).isBlank()) {
            throw new IllegalArgumentException("cannot read '" + text + "'");
        }
        return total;
    }

    /** The shortest humantime form, used by --print-config. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static Duration unit(long n, String unit, String text) {
        return switch (unit) {
            case "ns", "nsec" -> Duration.ofNanos(n);
            case "us", "µs", "usec" -> Duration.ofNanos(n * 1000);
            case "ms", "msec", "millis" -> Duration.ofMillis(n);
            case "s", "sec", "secs", "second", "seconds" -> Duration.ofSeconds(n);
            case "m", "min", "mins", "minute", "minutes" -> Duration.ofMinutes(n);
            case "h", "hr", "hrs", "hour", "hours" -> Duration.ofHours(n);
            case "d", "day", "days" -> Duration.ofDays(n);
            case "w", "week", "weeks" -> Duration.ofDays(7 * n);
            default -> throw new IllegalArgumentException("unknown unit '" + unit + "' in '" + text + "'");
        };
    }
}
