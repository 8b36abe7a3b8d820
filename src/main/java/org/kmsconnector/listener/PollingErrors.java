package org.kmsconnector.listener;

import org.apache.camel.Exchange;
import org.kmsconnector.cli.ServiceExit;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts consecutive failed poll iterations of one loop. A success resets the count; reaching
 * max_consecutive_polling_errors stops the service with a non-zero exit.
 */
public final class PollingErrors {
    private static final Logger LOG = LoggerFactory.getLogger(PollingErrors.class);

    private final String contract;
    private final int maxConsecutive;
    private final ConnectorMetrics metrics;
    private final ServiceExit exit;
    private int consecutive;

    public PollingErrors(String contract, int maxConsecutive, ConnectorMetrics metrics, ServiceExit exit) {
        this.contract = contract;
        this.maxConsecutive = maxConsecutive;
        this.metrics = metrics;
        this.exit = exit;
    }

    public synchronized void succeeded() {
        consecutive = 0;
    }

    public synchronized void failed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        consecutive++;
        metrics.increment("kms_connector_gw_listener_event_listening_errors", "contract", contract);
        LOG.warn("Polling {} failed ({} in a row, limit {}): {}", contract, consecutive, maxConsecutive,
                cause == null ? "unknown error" : cause.getMessage());
        if (consecutive >= maxConsecutive) {
            exit.fatal("polling " + contract + " failed " + consecutive
                    + " times in a row (max_consecutive_polling_errors)");
        }
    }

    public synchronized int consecutive() {
        return consecutive;
    }
}
