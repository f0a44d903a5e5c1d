package dev.parley.bench;

import java.time.Duration;

/**
 * CPU and PostgreSQL counters over a closed-loop load's measured window: they start when its warm-up is over
 * (from a thread of their own, as {@link Load#run} blocks), and {@link #stop} reads them per request.
 */
final class LoadMeters {

    private final CpuMeter cpu;
    private final DbStats db;
    private String cpuFigure;
    private String dbFigure;

    private LoadMeters(Bench.Context ctx) {
        this.cpu = ctx.cpuMeter();
        this.db = new DbStats(ctx.server());
    }

    static LoadMeters startAfter(Bench.Context ctx, Duration warmup) {
        LoadMeters meters = new LoadMeters(ctx);
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(warmup);
                meters.cpu.start();
                meters.db.start();
            } catch (InterruptedException ignored) {
                // not measured
            }
        });
        return meters;
    }

    /** Stops both, prints them under {@code label} and keeps them for {@link #cpu()} and {@link #db()}. */
    LoadMeters stop(String label, long requests) {
        cpuFigure = cpu.stop();
        // Counted over the whole window, so requests cut off at its end add a little.
        dbFigure = db.perRequest(requests);
        System.out.println("CPU during " + label + ": " + cpuFigure);
        System.out.println("PostgreSQL during " + label + ": " + dbFigure);
        return this;
    }

    String cpu() {
        return cpuFigure;
    }

    String db() {
        return dbFigure;
    }
}
