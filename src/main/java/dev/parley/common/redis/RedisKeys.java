package dev.parley.common.redis;

/**
 * Names of Parley's Redis keys and channels, all under one prefix ({@code parley.redis.prefix}, default
 * {@code parley}) so that several deployments, or test runs, can share one Redis without meeting.
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
}
