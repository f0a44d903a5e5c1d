package dev.parley.realtime.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/** The per-socket rules: order kept, limits enforced without blocking the sender, heartbeats and idle close. */
class ConnectionTest {

    private static final long SECOND = 1_000_000_000L;

    private final WebSocketSession session = mock(WebSocketSession.class);
    private final ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Connection> dropped = new ArrayList<>();

    @AfterEach
    void stop() {
        writer.shutdownNow();
    }

    private Connection connection(long bufferBytes) {
        when(session.getId()).thenReturn("s1");
        return new Connection(
                session, UUID.randomUUID(), new Connection.Limits(bufferBytes, 5 * SECOND), writer, dropped::add);
    }

    /** Counts down when the connection closes its session. */
    private CountDownLatch closes() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        doAnswer(call -> {
                    closed.countDown();
                    return null;
                })
                .when(session)
                .close(any());
        return closed;
    }

    /** Makes every write block until {@code release}; {@code writing} counts down when one has started. */
    private void stallWrites(CountDownLatch writing, CountDownLatch release) throws Exception {
        doAnswer(call -> {
                    writing.countDown();
                    release.await();
                    return null;
                })
                .when(session)
                .sendMessage(any());
    }

    @Test
    void framesAreWrittenInOrder() throws Exception {
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(100);
        doAnswer(call -> {
                    written.add(((TextMessage) call.getArgument(0)).getPayload());
                    all.countDown();
                    return null;
                })
                .when(session)
                .sendMessage(any());
        Connection connection = connection(1 << 20);
        for (int i = 0; i < 100; i++) {
            assertThat(connection.send(new TextMessage("f" + i))).isTrue();
        }
        assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(written)
                .containsExactlyElementsOf(
                        IntStream.range(0, 100).mapToObj(i -> "f" + i).toList());
    }

    @Test
    void aStalledSocketOverItsBufferIsDroppedWithoutBlockingTheSender() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        stallWrites(writing, release);
        CountDownLatch closed = closes();
        Connection connection = connection(100);
        assertThat(connection.send(new TextMessage("first"))).isTrue();
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
        long started = System.nanoTime();
        boolean accepted = true;
        for (int i = 0; i < 10 && accepted; i++) {
            accepted = connection.send(new TextMessage("x".repeat(30)));
        }
        assertThat(System.nanoTime() - started).as("never waits for the socket").isLessThan(SECOND);
        assertThat(accepted).isFalse();
        assertThat(connection.isOpen()).isFalse();
        assertThat(dropped).containsExactly(connection);
        assertThat(connection.send(new TextMessage("after"))).isFalse();
        // The close waits for the write in progress, then says why.
        verify(session, never()).close(any());
        release.countDown();
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        verify(session).close(CloseCodes.SLOW_CONSUMER);
    }

    @Test
    void aSilentClientIsPingedThenClosedAfterTheIdleTimeout() throws Exception {
        List<WebSocketMessage<?>> written = Collections.synchronizedList(new ArrayList<>());
        doAnswer(call -> written.add(call.getArgument(0))).when(session).sendMessage(any());
        CountDownLatch closed = closes();
        Connection connection = connection(1 << 20);
        long now = System.nanoTime();
        connection.check(now + 10 * SECOND, 30 * SECOND, 75 * SECOND);
        connection.check(now + 31 * SECOND, 30 * SECOND, 75 * SECOND);
        connection.check(now + 32 * SECOND, 30 * SECOND, 75 * SECOND);
        Awaitility.await().until(() -> written.size() == 1);
        assertThat(written.getFirst()).isInstanceOf(PingMessage.class);
        assertThat(connection.isOpen()).isTrue();
        connection.check(now + 76 * SECOND, 30 * SECOND, 75 * SECOND);
        assertThat(connection.isOpen()).isFalse();
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        verify(session).close(CloseCodes.IDLE_TIMEOUT);
    }

    @Test
    void aWriteStalledBeyondTheSendTimeLimitIsNoticedByTheHeartbeat() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        stallWrites(writing, release);
        CountDownLatch closed = closes();
        Connection connection = connection(1 << 20);
        connection.send(new TextMessage("stuck"));
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
        connection.check(System.nanoTime() + 6 * SECOND, 30 * SECOND, 75 * SECOND);
        assertThat(connection.isOpen()).isFalse();
        release.countDown();
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        verify(session).close(CloseCodes.SLOW_CONSUMER);
    }
}
