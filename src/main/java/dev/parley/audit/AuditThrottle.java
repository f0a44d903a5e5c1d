package dev.parley.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Flood control for acts a stranger can repeat at will, such as failed logins, so that a flood cannot fill the
 * disk: the log is append-only, so counting into an existing entry is not an option, and recording is limited
 * instead. Per window (aligned to the clock) and action, the first {@code per-key} acts of one key and at most
 * {@code per-window} in all are recorded one by one; every other is counted, and when the window is over one
 * summary entry records the count and the keys counted most. So a window adds at most {@code per-window + 1}
 * entries per action and node, whatever comes in.
 *
 * <p>Per node and in memory: the counts need no shared store and no write of their own; with N nodes the bounds
 * are N times as many. The keys tracked per window are bounded too ({@link #KEYS_MAX}); acts of further keys are
 * only counted.
 */
@Component
class AuditThrottle {

    static final int KEYS_MAX = 10_000;
    /** Keys named in a summary; the rest are only counted ({@code other_keys}). */
    static final int TOP = 10;
    /** A key is cut to this in memory and in the summary (a username and an address fit). */
    static final int KEY_MAX = 160;

    /** What a closed window counted but did not record, for one action. */
    record Summary(
            AuditAction action,
            Instant windowStart,
            Duration window,
            long suppressed,
            Map<String, Long> top,
            long otherKeys) {}

    private static final class Tally {
        int recorded;
        long suppressed;
        /** Per key: [recorded, suppressed]. */
        final Map<String, long[]> keys = new HashMap<>();
    }

    private record Window(Instant start, Map<AuditAction, Tally> tallies) {}

    private final Duration window;
    private final int perKey;
    private final int perWindow;
    /** Guarded by this. */
    private Window current;

    private final List<Window> closed = new ArrayList<>();

    AuditThrottle(AuditProperties properties) {
        this.window = properties.flood().window();
        this.perKey = properties.flood().perKey();
        this.perWindow = properties.flood().perWindow();
    }

    /** Whether this act gets an entry of its own; otherwise it has been counted for the window's summary. */
    synchronized boolean admit(AuditAction action, String key, Instant now) {
        Tally tally = windowAt(now).tallies().computeIfAbsent(action, a -> new Tally());
        String bounded = key.length() <= KEY_MAX ? key : key.substring(0, KEY_MAX);
        long[] counts = tally.keys.get(bounded);
        if (counts == null && tally.keys.size() < KEYS_MAX) {
            counts = new long[2];
            tally.keys.put(bounded, counts);
        }
        if (counts != null && counts[0] < perKey && tally.recorded < perWindow) {
            counts[0]++;
            tally.recorded++;
            return true;
        }
        if (counts != null) {
            counts[1]++;
        }
        tally.suppressed++;
        return false;
    }

    /**
     * The summaries of the windows over by {@code now} (or of every window, {@code all}, at shutdown) that counted
     * something; each is handed out once.
     */
    synchronized List<Summary> drain(Instant now, boolean all) {
        if (current != null && (all || !now.isBefore(current.start().plus(window)))) {
            closed.add(current);
            current = null;
        }
        List<Summary> out = new ArrayList<>();
        for (Window w : closed) {
            w.tallies().forEach((action, tally) -> {
                if (tally.suppressed > 0) {
                    out.add(summary(action, w.start(), tally));
                }
            });
        }
        closed.clear();
        return out;
    }

    private Window windowAt(Instant now) {
        long size = window.toMillis();
        Instant start = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), size) * size);
        // A clock that stepped back keeps the current window rather than reopening an old one.
        if (current == null || start.isAfter(current.start())) {
            if (current != null) {
                closed.add(current);
            }
            current = new Window(start, new EnumMap<>(AuditAction.class));
        }
        return current;
    }

    private Summary summary(AuditAction action, Instant start, Tally tally) {
        Map<String, Long> top = new LinkedHashMap<>();
        tally.keys.entrySet().stream()
                .filter(e -> e.getValue()[1] > 0)
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1])
                        .reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(TOP)
                .forEach(e -> top.put(e.getKey(), e.getValue()[1]));
        long counted = tally.keys.values().stream().filter(c -> c[1] > 0).count();
        return new Summary(action, start, window, tally.suppressed, top, Math.max(0, counted - top.size()));
    }
}
