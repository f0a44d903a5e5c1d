package dev.parley.attachment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.attachment.image.TestImages;
import dev.parley.storage.ObjectStorage;
import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The upload flow on the embedded default: files in the data folder, URLs signed and served by Parley. */
class LocalStorageAttachmentTest extends ApiTest implements AttachmentFlowContract {

    @Autowired
    private ObjectStorage storage;

    @Autowired
    private QuarantineSweep sweep;

    @Override
    public TestClient api() {
        return api;
    }

    @Override
    public ObjectStorage storage() {
        return storage;
    }

    @Override
    public QuarantineSweep quarantineSweep() {
        return sweep;
    }

    @Test
    void anUploadUrlWorksUntilItsUploadIsCompletedOrRefusedThenAnswers403() {
        TestClient.User alice = api.register("local");
        byte[] png = TestImages.png(TestImages.photo(40, 30, 18));
        JsonNode ticket = uploads()
                .ticket(alice, "retry.png", "image/png", png.length)
                .expect(200)
                .json();
        UUID id = UUID.fromString(ticket.path("attachment_id").asString());
        // A client retrying an upload that broke off may PUT again while nothing was completed.
        assertThat(Uploads.put(ticket, png)).isEqualTo(200);
        assertThat(Uploads.put(ticket, png)).isEqualTo(200);
        uploads().complete(alice, id).expect(200);
        assertThat(Uploads.put(ticket, png)).isEqualTo(403);
        assertThat(storage.size(Keys.quarantine(id))).isEmpty();

        byte[] text = "plain text, not an image".repeat(4).getBytes(StandardCharsets.UTF_8);
        JsonNode refused = uploads()
                .ticket(alice, "fake.png", "image/png", text.length)
                .expect(200)
                .json();
        assertThat(Uploads.put(refused, text)).isEqualTo(200);
        uploads()
                .complete(alice, UUID.fromString(refused.path("attachment_id").asString()))
                .expectError(422, "INVALID_ATTACHMENT");
        assertThat(Uploads.put(refused, text)).isEqualTo(403);
    }

    @Test
    void aSignedUrlIsGoodForItsOwnMethodTypeAndKeyOnly() {
        TestClient.User alice = api.register("local");
        JsonNode attachment =
                uploads().upload(alice, "signed.png", "image/png", TestImages.png(TestImages.photo(40, 30, 13)));
        String url = attachment.path("url").asString();
        assertThat(url).contains(":" + URI.create(api.base()).getPort() + "/storage/images/");
        assertThat(Uploads.download(url).status()).isEqualTo(200);

        // Another content type, another key, no signature, or a path out of the folder: all refused.
        assertThat(Uploads.download(url.replace("type=image%2Fpng", "type=text%2Fhtml"))
                        .status())
                .isEqualTo(403);
        assertThat(Uploads.download(url.replace("/storage/images/", "/storage/quarantine/"))
                        .status())
                .isEqualTo(403);
        assertThat(Uploads.download(url.substring(0, url.indexOf('?'))).status())
                .isEqualTo(403);
        assertThat(Uploads.download(api.base() + "/storage/..%2F..%2Fpg-dist?expires=1&type=a&signature=b")
                        .status())
                .isBetween(400, 404);

        // An upload URL does not read, and a download URL does not write.
        JsonNode ticket =
                uploads().ticket(alice, "x.png", "image/png", 10).expect(200).json();
        assertThat(Uploads.download(ticket.path("upload_url").asString()).status())
                .isEqualTo(403);
        var asTicket = TestClient.JSON.createObjectNode().put("upload_url", url).put("method", "PUT");
        asTicket.putObject("headers").put("Content-Type", "image/png");
        assertThat(Uploads.put(asTicket, new byte[10])).isEqualTo(403);
    }
}
