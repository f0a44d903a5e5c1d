package dev.parley.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * A closed-loop load: {@code workers} virtual threads each issue one request at a time, as fast as the server
 * answers. A warm-up phase runs first and is not recorded; the measured phase ends after {@code measure} or after
 * {@code maxRequests} requests, whichever comes first. Only requests started and finished inside the measured
 * window count, so throughput is requests / window.
 */
final class Load {

    /** One request; returns the HTTP status. */
    interface Op {
        int call() throws Exception;
    }

    record Result(
            String label,
            int workers,
            Latencies latencies,
            long ok,
            long failed,
            double seconds,
            Map<Integer, Long> statuses) {

        double throughput() {
            return ok / seconds;
        }

        String summary() {
            return String.format(
                    "%s: %d workers, %d ok, %d failed in %.1f s -> %.0f req/s; %s; statuses %s",
                    label, workers, ok, failed, seconds, throughput(), latencies.summary(), statuses);
        }
    }

    private Load() {}

    static Result run(
            String label,
            int workers,
            Duration warmup,
            Duration measure,
            long maxRequests,
            int expectedStatus,
            IntFunction<Op> perWorker)
            throws InterruptedException {
        long warmupEnd = System.nanoTime() + warmup.toNanos();
        long[] window = {warmupEnd, warmupEnd + measure.toNanos()};
        AtomicLong budget = new AtomicLong(maxRequests);
        LongAdder done = new LongAdder();
        LongAdder failed = new LongAdder();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        List<Latencies> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Op op = perWorker.apply(w);
            Latencies mine = new Latencies();
            perThread.add(mine);
            threads.add(Thread.ofVirtual().name("bench-" + label + "-" + w).start(() -> {
                while (true) {
                    long start = System.nanoTime();
                    boolean measured = start >= window[0];
                    if (start >= window[1] || (measured && budget.getAndDecrement() <= 0)) {
                        return;
                    }
                    int status;
                    try {
                        status = op.call();
                    } catch (Exception e) {
                        status = -1;
                    }
                    long end = System.nanoTime();
                    if (!measured || end > window[1]) {
                        continue;
                    }
                    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                    if (status == expectedStatus) {
                        mine.record(end - start);
                        done.increment();
                    } else {
                        failed.increment();
                    }
                }
            }));
        }
        Thread progress = Thread.ofPlatform().daemon().start(() -> {
            long last = 0;
            try {
                while (true) {
                    Thread.sleep(5_000);
                    long now = System.nanoTime();
                    long total = done.sum();
                    if (now < window[0]) {
                        System.out.printf("  [%s] warming up...%n", label);
                    } else {
                        System.out.printf(
                                "  [%s] %d measured, %.0f req/s over the last 5 s, %d failed%n",
                                label, total, (total - last) / 5.0, failed.sum());
                    }
                    last = total;
                }
            } catch (InterruptedException stop) {
                // finished
            }
        });
        for (Thread t : threads) {
            t.join();
        }
        progress.interrupt();
        // The window closes at its deadline, or earlier when the request budget ran out.
        long end = Math.min(window[1], System.nanoTime());
        double seconds = Math.max(1e-9, (end - window[0]) / 1e9);
        Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.sum()));
        return new Result(label, workers, Latencies.merge(perThread), done.sum(), failed.sum(), seconds, counts);
    }
}
