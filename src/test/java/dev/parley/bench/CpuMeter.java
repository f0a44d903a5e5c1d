package dev.parley.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** When PostgreSQL is shared (bench.database): count only this database's backends, and the server's own. */
    private final String database;

    private Map<String, Long> startTicks;
    private Map<Long, Long> startPostgres;
    private long startNanos;

    CpuMeter(Optional<Long> serverPid, Optional<Long> postgresPid) {
        this(serverPid, postgresPid, null);
    }

    CpuMeter(Optional<Long> serverPid, Optional<Long> postgresPid, String database) {
        this.serverPid = serverPid;
        this.postgresPid = postgresPid;
        this.database = database;
    }

    void start() {
        startTicks = sample();
        startPostgres = postgresTicks();
        startNanos = System.nanoTime();
    }

    /** Cores used by each party on average since {@link #start()}, e.g. "server 1.10, postgres 0.55, bench 0.30". */
    String stop() {
        return format(stopSeconds());
    }

    /** CPU seconds used by each party since {@link #start()}, and {@code "wall"}: the window's length. */
    Map<String, Double> stopSeconds() {
        Map<String, Long> end = sample();
        Map<Long, Long> endPostgres = postgresTicks();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Long> used = new LinkedHashMap<>();
        serverPid.ifPresent(pid -> used.put("server JVM", end.get("server JVM") - startTicks.get("server JVM")));
        if (postgresPid.flatMap(ProcessHandle::of).isPresent()) {
            // Per process: a backend or autovacuum worker that exited in the window takes its ticks with it, so
            // only the growth of each process alive at the end counts (a slight undercount, never negative).
            long sum = 0;
            for (var process : endPostgres.entrySet()) {
                sum += Math.max(0, process.getValue() - startPostgres.getOrDefault(process.getKey(), 0L));
            }
            used.put("postgres", sum);
        }
        used.put("load generator", end.get("load generator") - startTicks.get("load generator"));
        Map<String, Double> out = new LinkedHashMap<>();
        used.forEach((who, ticks) -> out.put(who, ticks / TICKS_PER_SECOND));
        out.put("wall", seconds);
        return out;
    }

    /** "server 1.10, postgres 0.55, bench 0.30 cores" from {@link #stopSeconds()}. */
    static String format(Map<String, Double> used) {
        double seconds = used.get("wall");
        StringBuilder out = new StringBuilder();
        used.forEach((who, cpu) -> {
            if (who.equals("wall")) {
                return;
            }
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(String.format("%s %.2f", who, cpu / seconds));
        });
        return out.isEmpty()
                ? "n/a"
                : out + " cores (of " + Runtime.getRuntime().availableProcessors() + ")";
    }

    private Map<String, Long> sample() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        serverPid.ifPresent(pid -> ticks.put("server JVM", ticks(pid)));
        ticks.put("load generator", ticks(ProcessHandle.current().pid()));
        return ticks;
    }

    /** The postmaster's and every child's ticks, by pid. */
    private Map<Long, Long> postgresTicks() {
        Map<Long, Long> ticks = new HashMap<>();
        postgresPid.flatMap(ProcessHandle::of).ifPresent(pm -> {
            ticks.put(pm.pid(), ticks(pm.pid()));
            for (ProcessHandle child : pm.descendants().toList()) {
                if (database == null || !otherDatabase(child.pid())) {
                    ticks.put(child.pid(), ticks(child.pid()));
                }
            }
        });
        return ticks;
    }

    /** A client backend of a database other than ours (its title names the database and the client's address). */
    private boolean otherDatabase(long pid) {
        try {
            String title =
                    Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            boolean backend = title.contains("(") && title.contains(")") || title.contains("[local]");
            return backend && !List.of(title.split("\\s+")).contains(database);
        } catch (Exception e) {
            return true;
        }
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
