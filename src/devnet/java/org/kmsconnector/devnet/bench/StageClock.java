package org.kmsconnector.devnet.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Watches a count in the database from a start instant until it reaches a target. */
final class StageClock {
    /** Fine ticks while a short stage may end, then coarser ones so the watching costs little CPU. */
    private static final long FINE_TICK_MILLIS = 10;
    private static final long COARSE_TICK_MILLIS = 50;
    private static final long FINE_FOR_NANOS = 2_000_000_000L;

    /** What one stage did: items in so many seconds; the first 99% of them in {@code seconds99}. */
    record Measure(long items, double seconds, double seconds99) {
        double rate() {
            return items / seconds;
        }
    }

    private StageClock() {}

    /**
     * @param countSql returns one number; {@code base} is subtracted from it
     * @param failedSql returns the number of items that will never count (the stage stops on any), or null
     * @param startNanos System.nanoTime() when the work was released
     * @param healthy false as soon as a service died
     */
    static Measure await(Connection c, String countSql, String failedSql, long base, long target, Duration timeout,
            long startNanos, BooleanSupplier healthy) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long at99 = -1;
        try (Statement st = c.createStatement()) {
            while (true) {
                long now = System.nanoTime();
                long count = single(st, countSql) - base;
                if (at99 < 0 && count * 100 >= target * 99) {
                    at99 = now;
                }
                if (count >= target) {
                    return new Measure(target, (now - startNanos) / 1e9, (at99 - startNanos) / 1e9);
                }
                long failed = failedSql == null ? 0 : single(st, failedSql);
                if (failed > 0) {
                    throw new IllegalStateException(failed + " item(s) failed (" + failedSql + ")");
                }
                if (!healthy.getAsBoolean()) {
                    throw new IllegalStateException("a service stopped; see its log");
                }
                if (now > deadline) {
                    throw new IllegalStateException("only " + count + " of " + target + " after " + timeout);
                }
                Thread.sleep(now - startNanos < FINE_FOR_NANOS ? FINE_TICK_MILLIS : COARSE_TICK_MILLIS);
            }
        }
    }

    static long single(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
