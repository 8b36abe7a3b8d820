package org.kmsconnector.worker.auth;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs independent checks concurrently and answers with the first refusal to arrive, or empty
 * once all have passed. Checks still running after a refusal finish in the background; each of
 * their calls is bounded by the host RPC timeout.
 */
final class FirstRefusal {
    private FirstRefusal() {}

    static Optional<Refusal> among(Executor executor, List<Supplier<Optional<Refusal>>> checks) {
        if (checks.isEmpty()) {
            return Optional.empty();
        }
        CompletableFuture<Optional<Refusal>> verdict = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(checks.size());
        for (Supplier<Optional<Refusal>> check : checks) {
            CompletableFuture.supplyAsync(check, executor).whenComplete((result, error) -> {
                if (error != null) {
                    verdict.complete(Optional.of(Refusal.recoverable("network",
                            "a check failed unexpectedly: " + rootMessage(error))));
                } else if (result.isPresent()) {
                    verdict.complete(result);
                }
                if (pending.decrementAndGet() == 0) {
                    verdict.complete(Optional.empty());
                }
            });
        }
        try {
            return verdict.get();
        } catch (InterruptedException e) {
            return Optional.of(HostAcls.interrupted());
        } catch (ExecutionException e) {
            return Optional.of(Refusal.recoverable("network", "a check failed unexpectedly: " + rootMessage(e)));
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
