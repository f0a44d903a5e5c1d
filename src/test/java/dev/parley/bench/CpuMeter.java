package dev.parley.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the machine's CPU went during a measured window: the server JVM, PostgreSQL (postmaster and every
 * backend) and this load generator, from {@code /proc/<pid>/stat} (user + system ticks). On a 2-core machine
 * shared by all three this says more than any profile about what limits throughput.
 */
final class CpuMeter {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final Optional<Long> serverPid;
    private final Optional<Long> postgresPid;
    private Map<String, Long> startTicks;
    private long startNanos;

    CpuMeter(Optional<Long> serverPid, Optional<Long> postgresPid) {
        this.serverPid = serverPid;
        this.postgresPid = postgresPid;
    }

    void start() {
        startTicks = sample();
        startNanos = System.nanoTime();
    }

    /** Cores used by each party on average since {@link #start()}, e.g. "server 1.10, postgres 0.55, bench 0.30". */
    String stop() {
        Map<String, Long> end = sample();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        StringBuilder out = new StringBuilder();
        end.forEach((who, ticks) -> {
            long before = startTicks.getOrDefault(who, 0L);
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(String.format("%s %.2f", who, (ticks - before) / TICKS_PER_SECOND / seconds));
        });
        return out.isEmpty() ? "n/a" : out + " cores (of " + Runtime.getRuntime().availableProcessors() + ")";
    }

    private Map<String, Long> sample() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        serverPid.ifPresent(pid -> ticks.put("server JVM", ticks(pid)));
        postgresPid.flatMap(ProcessHandle::of).ifPresent(pm -> {
            long sum = ticks(pm.pid());
            for (ProcessHandle child : pm.descendants().toList()) {
                sum += ticks(child.pid());
            }
            ticks.put("postgres", sum);
        });
        ticks.put("load generator", ticks(ProcessHandle.current().pid()));
        return ticks;
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name (which may hold spaces) start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (Exception e) {
            return 0;
        }
    }
}
