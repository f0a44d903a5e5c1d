package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.eventlog.EventType;
import dev.parley.realtime.delivery.EventFrames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/asyncapi.yaml is written by hand (CI validates it with the AsyncAPI parser); this keeps it in step with the
 * server's event types, so a new kind of event cannot go out undescribed.
 */
class AsyncApiDocumentTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyEventTypeTheServerSendsIsDescribed() throws IOException {
        Map<String, Object> doc = new Yaml().load(Files.readString(Path.of("docs", "asyncapi.yaml")));
        Map<String, Object> components = (Map<String, Object>) doc.get("components");
        Map<String, Map<String, Object>> messages = (Map<String, Map<String, Object>>) components.get("messages");
        List<Object> names =
                messages.values().stream().map(message -> message.get("name")).toList();
        List<String> logged =
                Arrays.stream(EventType.values()).map(EventType::wire).toList();

        assertThat(names)
                .containsAll(logged)
                .contains(EventFrames.TYPING_INDICATOR, EventFrames.PRESENCE_UPDATED)
                .contains("message.send", "message.ack", "typing.start", "typing.stop", "message.read", "ping", "pong")
                .contains("presence.heartbeat", "error");

        Map<String, Object> schemas = (Map<String, Object>) components.get("schemas");
        Map<String, Object> loggedEvent = (Map<String, Object>) schemas.get("LoggedEvent");
        Map<String, Object> type =
                (Map<String, Object>) ((Map<String, Object>) loggedEvent.get("properties")).get("type");
        assertThat((List<String>) type.get("enum"))
                .as("the event stream's and sync's types are the catch-up log's")
                .containsExactlyInAnyOrderElementsOf(logged);

        Map<String, Object> channels = (Map<String, Object>) doc.get("channels");
        Map<String, Object> socket = (Map<String, Object>) channels.get("socket");
        assertThat(((Map<String, Object>) socket.get("messages")).keySet())
                .as("every frame is on the WebSocket channel")
                .containsAll(messages.keySet().stream()
                        .filter(key -> !key.equals("loggedEvent"))
                        .toList());
    }
}
