package dev.parley.common.redis;

/**
 * Names of Parley's Redis keys and channels, all under one prefix ({@code parley.redis.prefix}, default
 * {@code parley}) so that several deployments, or test runs, can share one Redis without meeting.
 *
 * <p>Keys that one script or transaction touches together share a hash tag ({@link #slot}), so that on a Redis
 * Cluster they live in one slot: only the part between braces decides the slot.
 */
public record RedisKeys(String prefix) {

    /** {@code <prefix>:<part>:<part>...} */
    public String name(Object... parts) {
        StringBuilder out = new StringBuilder(prefix);
        for (Object part : parts) {
            out.append(':').append(part);
        }
        return out.toString();
    }

    /**
     * {@code <prefix>:{<part>:<part>...}}: the start of keys that must share a cluster slot; callers append
     * {@code :<name>} for each key of the group.
     */
    public String slot(Object... parts) {
        StringBuilder out = new StringBuilder(prefix).append(":{");
        for (int i = 0; i < parts.length; i++) {
            out.append(i == 0 ? "" : ":").append(parts[i]);
        }
        return out.append('}').toString();
    }
}
