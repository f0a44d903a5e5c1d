package dev.parley.realtime.delivery;

import dev.parley.common.ChatMetrics;
import dev.parley.realtime.gateway.Connection;
import dev.parley.realtime.gateway.SessionRegistry;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Single-node fan-out: the devices connected to this node, and its event streams' taps for the live frames the log
 * does not hold ({@link StreamTaps}). Never blocks: each socket and stream queues its own frames.
 */
@Component
class LocalFanout implements Fanout {

    private final SessionRegistry sessions;
    private final ChatMetrics metrics;
    private final StreamTaps taps;

    LocalFanout(SessionRegistry sessions, ChatMetrics metrics, StreamTaps taps) {
        this.sessions = sessions;
        this.metrics = metrics;
        this.taps = taps;
    }

    @Override
    public void publish(Set<UUID> userIds, Frame frame) {
        int handed = 0;
        // The socket that caused the event, if it is here: it has its answer already.
        String skip = sessions.localSocket(frame.origin());
        for (UUID user : userIds) {
            for (Connection connection : sessions.of(user)) {
                if (!connection.id().equals(skip) && connection.send(frame.message())) {
                    handed++;
                }
            }
        }
        taps.deliver(userIds, frame);
        if (EventFrames.MESSAGE_NEW.equals(frame.type())) {
            metrics.messagesDelivered(handed);
        }
    }
}
