package dev.parley.support;

import dev.parley.ParleyApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Server nodes in this JVM sharing the tests' PostgreSQL and the Redis on localhost, under a key prefix of their
 * own; closed newest first. Requires Redis (skips, or fails under CI, when it is unreachable).
 */
public final class TestNodes implements AutoCloseable {

    private final String prefix = "parley-test-" + UUID.randomUUID();
    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    public TestNodes() {
        RedisAvailable.require();
    }

    /** Starts one more node with these extra {@code --name=value} arguments; returns a client of it. */
    public TestClient start(String... arguments) {
        String[] common = {
            "--server.port=0",
            "--parley.data-dir=target/test-data/shared",
            "--spring.data.redis.url=" + RedisAvailable.URL,
            "--parley.redis.prefix=" + prefix
        };
        ConfigurableApplicationContext node = new SpringApplicationBuilder(ParleyApplication.class)
                .profiles("test")
                .run(Stream.concat(Stream.of(common), Stream.of(arguments)).toArray(String[]::new));
        nodes.add(node);
        return SendRun.client(node);
    }

    @Override
    public void close() {
        for (ConfigurableApplicationContext node : nodes.reversed()) {
            node.close();
        }
    }
}
