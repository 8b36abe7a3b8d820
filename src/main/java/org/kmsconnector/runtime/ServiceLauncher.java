package org.kmsconnector.runtime;

import org.kmsconnector.config.ConnectorConfig;

/** Runs one service in the foreground, as `kms-connector <service> start` does. */
public final class ServiceLauncher {
    private ServiceLauncher() {}

    /** Blocks until the service stops; returns the process exit code. */
    public static int run(ConnectorConfig config) throws Exception {
        try (ServiceRuntime runtime = ServiceRuntime.assemble(config)) {
            return runtime.runInForeground();
        }
    }
}
