package dev.parley.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** The brief's chat metrics, recorded by the features that own the events. */
@Component
public class ChatMetrics {

    private final MeterRegistry registry;
    private final Timer sendDuration;

    ChatMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.sendDuration = Timer.builder("message_send_duration_seconds")
                .description("Time to validate, store and acknowledge one message")
                .publishPercentileHistogram()
                .register(registry);
    }

    public void messageSent(String type) {
        Counter.builder("messages_sent").description("Messages stored").tag("type", type)
                .register(registry).increment();
    }

    public void recordSend(Duration duration) {
        sendDuration.record(duration);
    }

    public void messagesDelivered(int count) {
        Counter.builder("messages_delivered").description("Messages handed to a recipient's device")
                .register(registry).increment(count);
    }
}
