package dev.parley.realtime.gateway;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.TextMessage;
import tools.jackson.databind.json.JsonMapper;

/**
 * The encoding of server frames, {@code {"type": ..., "data": {...}}} in snake_case, and the types of the frames
 * the gateway answers a client's own frame with. The types of event frames belong to delivery, which encodes
 * them here too.
 */
@Component
public class Frames {

    static final String MESSAGE_ACK = "message.ack";
    static final String PONG = "pong";
    static final String ERROR = "error";

    private record Envelope(String type, Object data) {}

    private final JsonMapper json;

    Frames(JsonMapper json) {
        this.json = json;
    }

    public TextMessage encode(String type, Object data) {
        return new TextMessage(json.writeValueAsBytes(new Envelope(type, data)));
    }
}
