package dev.parley.bench;

import dev.parley.presence.PresenceStore;
import dev.parley.presence.PresenceStores;
import dev.parley.support.RedisTestConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * What the push rule's presence question costs for one batch of a thousand members (half of them online): asked
 * member by member ({@code current}, as the rule did) and in one call ({@code onlineAmong}), on the in-process store
 * and on Redis (127.0.0.1:6379, keys under a prefix of this run's own). In this JVM, no server. Warm-up and measured
 * rounds: {@code bench.pushWarmupRounds}, {@code bench.pushRounds}.
 */
final class PresenceBench {

    static final int MEMBERS = 1_000;
    private static final Duration TTL = Duration.ofSeconds(90);

    private PresenceBench() {}

    static void run(Bench.Context ctx) {
        int warmup = ctx.intOpt("bench.pushWarmupRounds");
        int rounds = ctx.intOpt("bench.pushRounds");
        measure("in process", PresenceStores.inProcess(), warmup, rounds);
        try (RedisTestConnection redis = RedisTestConnection.open()) {
            measure(
                    "Redis",
                    PresenceStores.redis(redis.connection(), "parley-bench-" + UUID.randomUUID()),
                    warmup,
                    rounds);
        }
    }

    private static void measure(String name, PresenceStore store, int warmup, int rounds) {
        Instant now = Instant.now();
        List<UUID> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            UUID member = UUID.randomUUID();
            members.add(member);
            if (i % 2 == 0) {
                store.update(member, "phone", PresenceStore.Update.ONLINE, now, TTL);
            }
        }
        List<Double> oneByOne = new ArrayList<>();
        List<Double> batch = new ArrayList<>();
        for (int round = -warmup; round < rounds; round++) {
            long start = System.nanoTime();
            int online = 0;
            for (UUID member : members) {
                if (PresenceStore.ONLINE.equals(store.current(member, now).status())) {
                    online++;
                }
            }
            long between = System.nanoTime();
            int together = store.onlineAmong(members, now).size();
            long end = System.nanoTime();
            if (online != MEMBERS / 2 || together != MEMBERS / 2) {
                throw new IllegalStateException(
                        name + ": " + online + " and " + together + " online, not " + MEMBERS / 2);
            }
            if (round >= 0) {
                oneByOne.add((between - start) / 1e6);
                batch.add((end - between) / 1e6);
            }
        }
        double each = median(oneByOne);
        double all = median(batch);
        System.out.printf(
                "%s, %d members: one by one median %.2f ms, in one call median %.2f ms (%.1fx), over %d rounds%n",
                name, MEMBERS, each, all, each / all, rounds);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
