package org.kmsconnector.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Watches a count in the database from a start instant until it reaches a target. */
final class StageClock {
    private static final long TICK_MILLIS = 10;

    /** What one stage did: items in so many seconds. */
    record Measure(long items, double seconds) {
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
        try (Statement st = c.createStatement()) {
            while (true) {
                long now = System.nanoTime();
                long count = single(st, countSql) - base;
                if (count >= target) {
                    return new Measure(target, (now - startNanos) / 1e9);
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
                Thread.sleep(TICK_MILLIS);
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
