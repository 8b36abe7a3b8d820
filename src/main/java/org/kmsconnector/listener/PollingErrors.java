package org.kmsconnector.listener;

import java.time.Duration;
import org.apache.camel.Exchange;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.runtime.ServiceExit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts consecutive failed poll iterations of one loop. A success resets the count; reaching
 * max_consecutive_polling_errors stops the service with a non-zero exit. Between failures the
 * loop backs off (poll interval doubling up to a bound), so a node that is briefly down is not
 * hammered and does not use up the error budget in a few seconds. A start block that cannot be
 * read stops the service at once, as in the original: nothing can be polled without it.
 */
public final class PollingErrors {
    private static final Logger LOG = LoggerFactory.getLogger(PollingErrors.class);

    private final String contract;
    private final int maxConsecutive;
    private final ConnectorMetrics metrics;
    private final ServiceExit exit;
    private final Duration pollInterval;
    private final Duration backoffMax;
    private int consecutive;

    public PollingErrors(String contract, int maxConsecutive, ConnectorMetrics metrics, ServiceExit exit,
            Duration pollInterval, Duration backoffMax) {
        this.contract = contract;
        this.maxConsecutive = maxConsecutive;
        this.metrics = metrics;
        this.exit = exit;
        this.pollInterval = pollInterval;
        this.backoffMax = backoffMax;
    }

    public synchronized void succeeded() {
        consecutive = 0;
    }

    public void failed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Duration pause;
        synchronized (this) {
            consecutive++;
            metrics.increment(Metrics.LISTENER_ERRORS, "contract", contract);
            ChainCursor.StartBlockUnavailable noStart = startBlockFailure(cause);
            if (noStart != null) {
                exit.fatal("polling " + contract + " cannot start: " + noStart.getMessage());
                return;
            }
            LOG.warn("Polling {} failed ({} in a row, limit {}): {}", contract, consecutive, maxConsecutive,
                    cause == null ? "unknown error" : cause.getMessage());
            if (consecutive >= maxConsecutive) {
                exit.fatal("polling " + contract + " failed " + consecutive
                        + " times in a row (max_consecutive_polling_errors)");
                return;
            }
            pause = backoff(consecutive);
        }
        sleep(pause);
    }

    /** The extra pause after the n-th failure in a row: poll interval x 2^(n-1), at most the bound. */
    Duration backoff(int n) {
        if (backoffMax.isZero() || pollInterval.isZero()) {
            return Duration.ZERO;
        }
        Duration d = pollInterval.multipliedBy(1L << Math.min(30, n - 1));
        return d.compareTo(backoffMax) > 0 ? backoffMax : d;
    }

    private static ChainCursor.StartBlockUnavailable startBlockFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ChainCursor.StartBlockUnavailable s) {
                return s;
            }
        }
        return null;
    }

    private static void sleep(Duration pause) {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down: no need to wait any longer
        }
    }
}
