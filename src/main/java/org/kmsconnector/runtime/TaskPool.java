package org.kmsconnector.runtime;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that work on claimed operations, at most task_limit at once across the service.
 * When all are busy the claiming thread runs the task itself, so no more rows are claimed until
 * one finishes: back-pressure instead of an unbounded backlog of claimed rows in memory.
 */
public final class TaskPool {
    private TaskPool() {}

    public static ThreadPoolExecutor create(String service, int taskLimit) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, service + "-task-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(0, taskLimit, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads,
                new ThreadPoolExecutor.CallerRunsPolicy());
    }
}
