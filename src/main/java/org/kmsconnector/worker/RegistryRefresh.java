package org.kmsconnector.worker;

import org.kmsconnector.runtime.ServiceExit;
import org.kmsconnector.worker.ciphertext.CoprocessorRegistry;
import org.kmsconnector.worker.ciphertext.CriticalRegistryException;

/**
 * Reloads the coprocessor registry every copro_registry_refresh. A transient failure keeps the
 * last good snapshot; a registry that can never reach consensus (bad threshold) stops the worker.
 */
public final class RegistryRefresh {
    private final CoprocessorRegistry registry;
    private final ServiceExit exit;

    public RegistryRefresh(CoprocessorRegistry registry, ServiceExit exit) {
        this.registry = registry;
        this.exit = exit;
    }

    public void refresh() {
        try {
            registry.refresh();
        } catch (CriticalRegistryException e) {
            exit.fatal("the coprocessor registry is unusable: " + e.getMessage());
        }
    }
}
