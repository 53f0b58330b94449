package dev.ferry.core.run;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs each run on one of a fixed number of threads of this process. Runs beyond that wait in
 * {@code received} state; runs on one table also wait for each other (the orchestrator sees to that).
 */
public final class ThreadPoolRunExecutor implements RunExecutor {
    private final ExecutorService pool;

    public ThreadPoolRunExecutor(int threads) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ferry-run-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return "threads";
    }

    @Override
    public void start(RunTask task) {
        pool.execute(task::runHere);
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
