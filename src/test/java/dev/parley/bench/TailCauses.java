package dev.parley.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * What made a run's slow sends slow, from what the run can observe. Each slow sample (send due to arrival on the
 * recipient's socket) is checked against: the server's stop-the-world pauses (its unified JVM log, {@code
 * -Xlog:safepoint} with the {@code timenanos} decorator, which is the same monotonic clock as this JVM's
 * {@code nanoTime}); this load generator's own lateness (when the sender thread really sent versus when the send
 * was due, and how long the socket write blocked) and its own GC pauses; and PostgreSQL's checkpointer writing,
 * autovacuum workers and backends waiting on locks, polled every {@value #POLL_MS} ms from {@code pg_stat_activity};
 * and the machine's CPU queue: PSI's {@code /proc/pressure/cpu}, an interval counting as starved when some runnable
 * task waited for a CPU for more than half of it (on a shared 2-core machine the usual cause).
 * Causes overlap; "unexplained" is a slow sample that met none of them. Each cause is also given for all samples,
 * so that a cause present all the time (a checkpoint spread over the whole window) is not mistaken for the culprit.
 */
final class TailCauses implements AutoCloseable {

    static final int POLL_MS = 20;
    /** A send counts as late, or its write as blocked, past this. */
    private static final long LATE_NANOS = 1_000_000;
    /** Server pauses shorter than this are not counted as a cause. */
    private static final long PAUSE_NANOS = 500_000;

    private static final Pattern SAFEPOINT = Pattern.compile("^\\[(\\d+)ns].*Safepoint \"(\\w+)\".*Total: (\\d+) ns");

    /** ZGC stalls an allocating thread (not a safepoint) when it runs out of heap before a cycle ends. */
    private static final Pattern STALL = Pattern.compile("^\\[(\\d+)ns].*Allocation Stall .* ([\\d.]+)ms");
    /** A poll interval counts as CPU-starved when some task waited for a CPU this share of it (PSI). */
    private static final double STARVED = 0.5;

    private static final Path PRESSURE = Path.of("/proc/pressure/cpu");

    /** When each open-loop send was due (its stamp) to {when the sender started it, when its write returned}. */
    private static final Map<Long, long[]> SENDS = new ConcurrentHashMap<>();

    private final Path serverLog;
    private final BenchServer server;
    private final List<long[]> generatorPauses = new ArrayList<>();
    private final List<long[]> polls = new ArrayList<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onGc;
    private final long jvmStartNanos;
    private volatile boolean polling = true;
    private final Thread poller;

    private TailCauses(BenchServer server) {
        this.server = server;
        this.serverLog = server.pauseLog();
        this.jvmStartNanos =
                System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        this.poller = Thread.ofPlatform().daemon().name("tail-causes").start(this::poll);
    }

    /** Starts watching: from now until {@link #close()}. */
    static TailCauses start(BenchServer server) {
        SENDS.clear();
        return new TailCauses(server);
    }

    /** Called by the load generator around each open-loop send. */
    static void sent(long due, long started, long written) {
        SENDS.put(due, new long[] {started, written});
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        // Concurrent cycles (G1's or ZGC's "Cycles") do not stop the sender; only pauses count.
        if (info.getGcName().contains("Cycles") || info.getGcName().contains("Concurrent")) {
            return;
        }
        long start = jvmStartNanos + info.getGcInfo().getStartTime() * 1_000_000;
        long duration = Math.max(1, info.getGcInfo().getDuration()) * 1_000_000;
        synchronized (generatorPauses) {
            generatorPauses.add(new long[] {start, start + duration});
        }
    }

    private void poll() {
        if (server.jdbcUrl == null) {
            return;
        }
        try (Connection db = server.database();
                Statement st = db.createStatement()) {
            long lastStall = cpuStallMicros();
            long lastAt = System.nanoTime();
            while (polling) {
                long at = System.nanoTime();
                long stall = cpuStallMicros();
                // Share of the interval in which some runnable task of the machine waited for a CPU.
                long stallPermille = (stall - lastStall) * 1_000_000 / Math.max(1, at - lastAt);
                long starved = stallPermille > STARVED * 1000 ? 1 : 0;
                lastStall = stall;
                lastAt = at;
                try (ResultSet rs = st.executeQuery("""
                        SELECT count(*) FILTER (WHERE backend_type = 'checkpointer'
                                                  AND wait_event IS DISTINCT FROM 'CheckpointerMain'),
                               count(*) FILTER (WHERE backend_type = 'autovacuum worker'),
                               count(*) FILTER (WHERE backend_type = 'client backend'
                                                  AND wait_event_type IN ('Lock', 'LWLock'))
                        FROM pg_stat_activity""")) {
                    rs.next();
                    synchronized (polls) {
                        polls.add(new long[] {at, rs.getLong(1), rs.getLong(2), rs.getLong(3), starved, stallPermille});
                    }
                }
                Thread.sleep(POLL_MS);
            }
        } catch (Exception e) {
            System.out.println("No PostgreSQL activity samples: " + e.getMessage());
        }
    }

    /** Per-sample send due time and arrival on the recipient's socket, in nanoTime; one per recording device. */
    static final class Samples {
        private long[] due = new long[1024];
        private long[] arrival = new long[1024];
        private int count;

        synchronized void clear() {
            count = 0;
        }

        synchronized void record(long dueAt, long arrivedAt) {
            if (count == due.length) {
                due = Arrays.copyOf(due, count * 2);
                arrival = Arrays.copyOf(arrival, count * 2);
            }
            due[count] = dueAt;
            arrival[count++] = arrivedAt;
        }

        static Samples merge(Iterable<Samples> parts) {
            Samples all = new Samples();
            for (Samples part : parts) {
                synchronized (part) {
                    for (int i = 0; i < part.count; i++) {
                        all.record(part.due[i], part.arrival[i]);
                    }
                }
            }
            return all;
        }
    }

    /** The machine's total CPU stall time from PSI ({@code /proc/pressure/cpu}, "some" line), or 0 without it. */
    private static long cpuStallMicros() {
        try {
            String some = Files.readAllLines(PRESSURE).getFirst();
            return Long.parseLong(some.substring(some.indexOf("total=") + 6).strip());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        polling = false;
        try {
            poller.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (Exception ignored) {
                // already gone
            }
        }
    }

    /** Server safepoints from its log: {start, end, name index} in nanoTime, and their names. */
    private record Pauses(List<long[]> spans, List<String> names) {}

    private Pauses serverPauses() {
        List<long[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (serverLog == null || !Files.exists(serverLog)) {
            return new Pauses(spans, names);
        }
        try {
            for (String line : Files.readAllLines(serverLog)) {
                Matcher stall = STALL.matcher(line);
                if (stall.find()) {
                    long end = Long.parseLong(stall.group(1));
                    spans.add(new long[] {end - (long) (Double.parseDouble(stall.group(2)) * 1e6), end, names.size()});
                    names.add("ZGC allocation stall");
                }
                Matcher m = SAFEPOINT.matcher(line);
                if (m.find()) {
                    long end = Long.parseLong(m.group(1));
                    long total = Long.parseLong(m.group(3));
                    spans.add(new long[] {end - total, end, names.size()});
                    names.add(m.group(2));
                }
            }
        } catch (IOException e) {
            System.out.println("Cannot read " + serverLog + ": " + e.getMessage());
        }
        return new Pauses(spans, names);
    }

    /**
     * One line per threshold: the share of slow samples with each cause, next to its share among all samples, and
     * the longest server pause in the window. {@code from} and {@code to}: the window, in nanoTime.
     */
    String summary(Samples samples, long p99, long from, long to) {
        long[] due = samples.due;
        long[] arrival = samples.arrival;
        int count = samples.count;
        Pauses pauses = serverPauses();
        List<long[]> inWindow =
                pauses.spans().stream().filter(s -> s[1] >= from && s[0] <= to).toList();
        List<long[]> gen;
        synchronized (generatorPauses) {
            gen = List.copyOf(generatorPauses);
        }
        List<long[]> db;
        synchronized (polls) {
            db = List.copyOf(polls);
        }
        StringBuilder out = new StringBuilder();
        out.append(line("> 4 ms", 4_000_000, due, arrival, count, inWindow, gen, db));
        out.append(line("> p99", p99, due, arrival, count, inWindow, gen, db));
        long[] longest = inWindow.stream()
                .max((a, b) -> Long.compare(a[1] - a[0], b[1] - b[0]))
                .orElse(null);
        long totalPause = inWindow.stream().mapToLong(s -> s[1] - s[0]).sum();
        long genMax = gen.stream()
                .filter(s -> s[1] >= from && s[0] <= to)
                .mapToLong(s -> s[1] - s[0])
                .max()
                .orElse(0);
        double stall = db.stream()
                .filter(p -> p[0] >= from && p[0] <= to)
                .mapToLong(p -> p[5])
                .average()
                .orElse(-1);
        out.append(String.format(
                "  machine CPU pressure (PSI some) over the window: %s%n",
                stall < 0 ? "n/a" : String.format("%.0f%% of the time a task waited for a CPU", stall / 10)));
        out.append(String.format(
                "  server stop-the-world: %d pauses, %.1f ms in all, longest %s;"
                        + " load generator GC pauses: longest %s%n",
                inWindow.size(),
                totalPause / 1e6,
                longest == null
                        ? "none"
                        : Latencies.ms(longest[1] - longest[0]) + " ("
                                + pauses.names().get((int) longest[2]) + ")",
                Latencies.ms(genMax)));
        return out.toString();
    }

    private static final String[] CAUSES = {
        "server pause",
        "generator late",
        "generator GC",
        "checkpoint",
        "autovacuum",
        "DB lock waits",
        "CPU queue",
        "unexplained"
    };

    private static String line(
            String label,
            long threshold,
            long[] due,
            long[] arrival,
            int count,
            List<long[]> serverPauses,
            List<long[]> generatorPauses,
            List<long[]> db) {
        int[] slow = new int[CAUSES.length];
        int[] all = new int[CAUSES.length];
        int slowCount = 0;
        for (int i = 0; i < count; i++) {
            boolean[] causes = causes(due[i], arrival[i], serverPauses, generatorPauses, db);
            boolean isSlow = arrival[i] - due[i] > threshold;
            slowCount += isSlow ? 1 : 0;
            for (int c = 0; c < CAUSES.length; c++) {
                if (causes[c]) {
                    all[c]++;
                    slow[c] += isSlow ? 1 : 0;
                }
            }
        }
        StringBuilder out = new StringBuilder(String.format("  tail (%s, n=%,d of %,d):", label, slowCount, count));
        for (int c = 0; c < CAUSES.length; c++) {
            out.append(String.format(
                    " %s %.0f%% (all %.0f%%)%s",
                    CAUSES[c],
                    100.0 * slow[c] / Math.max(1, slowCount),
                    100.0 * all[c] / Math.max(1, count),
                    c == CAUSES.length - 1 ? "" : ","));
        }
        return out.append('\n').toString();
    }

    private static boolean[] causes(
            long due, long arrival, List<long[]> serverPauses, List<long[]> generatorPauses, List<long[]> db) {
        boolean[] c = new boolean[CAUSES.length];
        long[] send = SENDS.get(due);
        long started = send == null ? due : send[0];
        c[0] = overlaps(serverPauses, started, arrival, PAUSE_NANOS);
        c[1] = send != null && (send[0] - due > LATE_NANOS || send[1] - send[0] > LATE_NANOS);
        c[2] = overlaps(generatorPauses, due, arrival, 0);
        long slack = POLL_MS * 1_000_000L;
        for (long[] p : db) {
            // A poll's state stands for the interval around it.
            if (p[0] + slack >= due && p[0] - slack <= arrival) {
                c[3] |= p[1] > 0;
                c[4] |= p[2] > 0;
                c[5] |= p[3] > 0;
                c[6] |= p[4] > 0;
            }
        }
        boolean any = false;
        for (int i = 0; i < CAUSES.length - 1; i++) {
            any |= c[i];
        }
        c[CAUSES.length - 1] = !any;
        return c;
    }

    private static boolean overlaps(List<long[]> spans, long from, long to, long minimum) {
        for (long[] s : spans) {
            if (s[1] - s[0] >= minimum && s[1] >= from && s[0] <= to) {
                return true;
            }
        }
        return false;
    }
}
