package dev.parley.bench;

import java.util.Arrays;

/**
 * Per-request latencies in nanoseconds. A plain growable array per recording thread, merged and sorted once at
 * the end: exact percentiles, no coordination on the hot path, and a few MB for a few hundred thousand requests.
 */
final class Latencies {

    private long[] values = new long[1024];
    private int count;
    private boolean sorted;

    synchronized void clear() {
        count = 0;
        sorted = false;
    }

    synchronized void record(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = nanos;
        sorted = false;
    }

    static Latencies merge(Iterable<Latencies> parts) {
        Latencies all = new Latencies();
        for (Latencies part : parts) {
            for (int i = 0; i < part.count; i++) {
                all.record(part.values[i]);
            }
        }
        return all;
    }

    int count() {
        return count;
    }

    /** The value at quantile {@code q} (0..1), nearest-rank, in nanoseconds; 0 when empty. */
    long quantile(double q) {
        if (count == 0) {
            return 0;
        }
        sort();
        int rank = (int) Math.ceil(q * count);
        return values[Math.min(count - 1, Math.max(0, rank - 1))];
    }

    long max() {
        if (count == 0) {
            return 0;
        }
        sort();
        return values[count - 1];
    }

    String summary() {
        return String.format(
                "n=%d p50=%s p90=%s p99=%s max=%s",
                count, ms(quantile(0.50)), ms(quantile(0.90)), ms(quantile(0.99)), ms(max()));
    }

    static String ms(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

    private void sort() {
        if (!sorted) {
            Arrays.sort(values, 0, count);
            sorted = true;
        }
    }
}
