package org.kmsconnector.worker.ciphertext;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A semaphore for asynchronous work: at most {@code permits} tasks in flight, the rest queued,
 * without parking a thread per waiting task. Cancelling a returned future drops a queued task or
 * cancels the running one.
 */
final class AsyncLimiter {
    private final int permits;
    private final Deque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    AsyncLimiter(int permits) {
        this.permits = permits;
    }

    <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> run(task, result);
        boolean now;
        synchronized (this) {
            now = inFlight < permits;
            if (now) {
                inFlight++;
            } else {
                waiting.add(start);
            }
        }
        if (now) {
            start.run();
        }
        return result;
    }

    synchronized int inFlight() {
        return inFlight;
    }

    private <T> void run(Supplier<CompletableFuture<T>> task, CompletableFuture<T> result) {
        if (result.isDone()) { // cancelled while queued
            release();
            return;
        }
        CompletableFuture<T> running;
        try {
            running = task.get();
        } catch (Throwable e) { // whatever the task throws, its permit must come back
            release();
            result.completeExceptionally(e);
            return;
        }
        running.whenComplete((v, e) -> {
            release();
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(v);
            }
        });
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                running.cancel(true);
            }
        });
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            next.run(); // the permit passes straight to the next task
        }
    }
}
