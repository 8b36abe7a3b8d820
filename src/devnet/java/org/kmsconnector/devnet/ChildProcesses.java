package org.kmsconnector.devnet;

import java.util.concurrent.TimeUnit;

/** Stopping the child processes of the devnet: SIGTERM, then SIGKILL when they linger. */
final class ChildProcesses {
    private ChildProcesses() {}

    static void stop(Process process, int graceSeconds) {
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
