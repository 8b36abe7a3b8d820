package org.kmsconnector.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a service gives up: it logs one clear line, asks Camel to stop, and the process exits
 * non-zero so the orchestrator restarts it.
 */
public final class ServiceExit {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceExit.class);

    private final AtomicInteger exitCode = new AtomicInteger(0);
    private volatile Runnable stopper = () -> {};

    public void onFatal(Runnable stopper) {
        this.stopper = stopper;
    }

    public void fatal(String reason) {
        if (exitCode.compareAndSet(0, 1)) {
            LOG.error("Stopping the service: {}", reason);
            Thread t = new Thread(stopper, "fatal-stop");
            t.setDaemon(true);
            t.start();
        }
    }

    public int exitCode() {
        return exitCode.get();
    }
}
