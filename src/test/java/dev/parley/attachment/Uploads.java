package dev.parley.attachment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.TestClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/** The client side of the contract's upload flow: ticket, PUT to the signed URL, complete; and downloads. */
public final class Uploads {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final TestClient api;

    public Uploads(TestClient api) {
        this.api = api;
    }

    TestClient.Resp ticket(TestClient.User user, String filename, String type, long size) {
        return api.post(
                "/api/v1/messages/attachments/upload-url",
                user.token(),
                Map.of("filename", filename, "content_type", type, "file_size", size));
    }

    /** PUTs the bytes with the ticket's headers, as a client would; returns the HTTP status. */
    static int put(JsonNode ticket, byte[] bytes) {
        return put(ticket, bytes, null);
    }

    /** As {@link #put(JsonNode, byte[])}, with another Content-Type when {@code contentType} is given. */
    static int put(JsonNode ticket, byte[] bytes, String contentType) {
        assertThat(ticket.path("method").asString()).isEqualTo("PUT");
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(ticket.path("upload_url").asString()))
                .timeout(Duration.ofSeconds(20))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        Iterator<Map.Entry<String, JsonNode>> headers =
                ticket.path("headers").properties().iterator();
        while (headers.hasNext()) {
            var header = headers.next();
            String value = header.getKey().equalsIgnoreCase("Content-Type") && contentType != null
                    ? contentType
                    : header.getValue().asString();
            request.header(header.getKey(), value);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A ticket and the bytes PUT to it (accepted), not completed yet. */
    record Put(JsonNode ticket, UUID id) {}

    /** Asks a ticket and PUTs the bytes to it, which the store must accept. */
    Put ticketAndPut(TestClient.User user, String filename, String type, byte[] bytes) {
        JsonNode ticket = ticket(user, filename, type, bytes.length).expect(200).json();
        assertThat(put(ticket, bytes)).isEqualTo(200);
        return new Put(ticket, UUID.fromString(ticket.path("attachment_id").asString()));
    }

    TestClient.Resp complete(TestClient.User user, UUID attachmentId) {
        return api.post("/api/v1/messages/attachments/complete", user.token(), Map.of("attachment_id", attachmentId));
    }

    /** The whole flow for bytes the server must accept; returns the completed attachment. */
    public JsonNode upload(TestClient.User user, String filename, String type, byte[] bytes) {
        JsonNode ticket = ticket(user, filename, type, bytes.length).expect(200).json();
        assertThat(put(ticket, bytes)).isEqualTo(200);
        UUID id = UUID.fromString(ticket.path("attachment_id").asString());
        JsonNode attachment = complete(user, id).expect(200).json();
        if (!"completed".equals(attachment.path("upload_status").asString())) {
            attachment = Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () -> api.get("/api/v1/messages/attachments/" + id, user.token())
                                    .expect(200)
                                    .json(),
                            json -> "completed"
                                    .equals(json.path("upload_status").asString()));
        }
        return attachment;
    }

    public TestClient.Resp sendImage(
            TestClient.User user, UUID conversation, String attachmentId, String caption, String clientMessageId) {
        var body = new HashMap<String, Object>();
        body.put("type", "image");
        body.put("attachment_id", attachmentId);
        if (caption != null) {
            body.put("content", caption);
        }
        if (clientMessageId != null) {
            body.put("client_message_id", clientMessageId);
        }
        return api.post("/api/v1/conversations/" + conversation + "/messages", user.token(), body);
    }

    /** GETs a signed URL: the status, the Content-Type and the bytes. */
    static Download download(String url) {
        try {
            HttpResponse<byte[]> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(20))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Download(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Download(int status, String contentType, byte[] body) {

        BufferedImage image() {
            try {
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(body));
                assertThat(image).as("a decodable image").isNotNull();
                return image;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
