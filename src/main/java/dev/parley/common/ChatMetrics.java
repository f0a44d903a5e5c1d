package dev.parley.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.springframework.stereotype.Component;

/**
 * The chat metrics (listed in the README's Operations section), in one place so every feature records them under
 * the same names. Micrometer names are dotted; the Prometheus registry adds the unit and {@code _total} suffixes
 * ({@code messages.sent} is exported as {@code messages_sent_total}, {@code message.send.duration} as
 * {@code message_send_duration_seconds}).
 * Every meter is registered up front so that {@code /metrics} lists it before the first event.
 */
@Component
public class ChatMetrics {

    public static final String MESSAGES_SENT = "messages.sent";
    public static final String MESSAGES_DELIVERED = "messages.delivered";
    public static final String SEND_DURATION = "message.send.duration";
    public static final String WEBSOCKET_CONNECTIONS = "websocket.connections.active";
    public static final String STORAGE_UPLOAD_DURATION = "storage.upload.duration";

    private final MeterRegistry registry;
    private final Counter delivered;
    private final Timer sendDuration;
    private final Timer storageUpload;
    private final AtomicReference<IntSupplier> connections = new AtomicReference<>(() -> 0);
    /** Each type's counter, built once: building and registering looks the meter up anew, once per message. */
    private final Map<String, Counter> sentByType = new ConcurrentHashMap<>();

    public ChatMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.delivered = Counter.builder(MESSAGES_DELIVERED)
                .description("Messages handed to a recipient's connection")
                .register(registry);
        this.sendDuration = Timer.builder(SEND_DURATION)
                .description("Time to accept a message: validation, storage and commit")
                .register(registry);
        this.storageUpload = Timer.builder(STORAGE_UPLOAD_DURATION)
                .description("Time to store an uploaded attachment")
                .register(registry);
        Gauge.builder(WEBSOCKET_CONNECTIONS, connections, source -> source.get().getAsInt())
                .description("Open WebSocket connections on this node")
                .register(registry);
    }

    /**
     * Registers the sent-message counter of each type up front, so that {@code /metrics} lists them before the
     * first message; the message feature, which owns the types, calls it.
     */
    public void registerMessageTypes(Collection<String> types) {
        types.forEach(this::sentCounter);
    }

    /** Counts one stored message of the given type ({@code text}, {@code image}, {@code system}). */
    public void messageSent(String type) {
        sentCounter(type).increment();
    }

    public void recordSend(Duration duration) {
        sendDuration.record(duration);
    }

    public void messagesDelivered(int count) {
        if (count > 0) {
            delivered.increment(count);
        }
    }

    /** The WebSocket gateway registers its session count here; until then the gauge reads 0. */
    public void activeConnections(IntSupplier source) {
        connections.set(Objects.requireNonNull(source));
    }

    /** For the attachment code: {@code storageUpload().record(...)} or {@code Timer.start()} / {@code stop}. */
    public Timer storageUpload() {
        return storageUpload;
    }

    private Counter sentCounter(String type) {
        return sentByType.computeIfAbsent(type, this::registerSentCounter);
    }

    private Counter registerSentCounter(String type) {
        return Counter.builder(MESSAGES_SENT)
                .description("Messages stored, by type")
                .tag("type", type)
                .register(registry);
    }
}
