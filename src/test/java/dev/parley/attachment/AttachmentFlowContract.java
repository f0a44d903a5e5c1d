package dev.parley.attachment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.attachment.image.TestImages;
import dev.parley.storage.ObjectStorage;
import dev.parley.support.Chat;
import dev.parley.support.TestClient;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The upload flow through the public API, the same for every object store: real PNG, JPEG (EXIF orientation and
 * GPS), CMYK JPEG, WebP and GIF, image messages and their metadata, and the hostile inputs the issues name. Upload
 * URLs used again are checked on the store itself (S3 accepts such a PUT; the sweep must remove what it wrote).
 */
interface AttachmentFlowContract {

    TestClient api();

    /** The server's store, to see what is left in quarantine (nothing the API shows). */
    ObjectStorage storage();

    QuarantineSweep quarantineSweep();

    default Uploads uploads() {
        return new Uploads(api());
    }

    default Chat chat() {
        return new Chat(api());
    }

    @Test
    default void aPngTravelsFromUploadToTheRecipientWithAThumbnailThatFits() {
        TestClient.User alice = api().register("img");
        TestClient.User bob = api().register("img");
        UUID conversation = chat().direct(alice, bob);
        byte[] png = TestImages.png(TestImages.photo(640, 480, 1));

        JsonNode attachment = uploads().upload(alice, "holiday.png", "image/png", png);
        assertThat(attachment.path("upload_status").asString()).isEqualTo("completed");
        assertThat(attachment.path("file_type").asString()).isEqualTo("image");
        assertThat(attachment.path("mime_type").asString()).isEqualTo("image/png");
        assertThat(attachment.path("file_name").asString()).isEqualTo("holiday.png");
        assertThat(attachment.path("width").asInt()).isEqualTo(640);
        assertThat(attachment.path("height").asInt()).isEqualTo(480);
        assertThat(attachment.path("blurhash").asString()).isNotBlank();

        JsonNode message = uploads()
                .sendImage(alice, conversation, attachment.path("attachment_id").asString(), "Look at this", "img-1")
                .expect(201)
                .json();
        assertThat(message.path("type").asString()).isEqualTo("image");
        assertThat(message.path("content").asString()).isEqualTo("Look at this");
        JsonNode metadata = message.path("metadata");
        assertThat(metadata.path("attachment_id").asString())
                .isEqualTo(attachment.path("attachment_id").asString());
        assertThat(metadata.path("width").asInt()).isEqualTo(640);
        assertThat(metadata.path("height").asInt()).isEqualTo(480);
        assertThat(metadata.path("file_size").asLong()).isPositive();
        assertThat(metadata.path("blurhash").asString()).isNotBlank();
        JsonNode listed = message.path("attachments").get(0);
        assertThat(listed.path("attachment_id").asString())
                .isEqualTo(attachment.path("attachment_id").asString());
        assertThat(listed.path("upload_status").asString()).isEqualTo("completed");
        assertThat(listed.path("thumbnail_url").asString()).isNotBlank();

        // Bob, a participant, reads it from history and fetches both images with the URLs he was given.
        JsonNode seen = chat().history(bob, conversation).get(0);
        assertThat(seen.path("message_id").asString())
                .isEqualTo(message.path("message_id").asString());
        Uploads.Download original =
                Uploads.download(seen.path("metadata").path("image_url").asString());
        assertThat(original.status()).isEqualTo(200);
        assertThat(original.contentType()).startsWith("image/png");
        assertThat(original.body().length).isEqualTo(metadata.path("file_size").asLong());
        BufferedImage full = original.image();
        assertThat(full.getWidth()).isEqualTo(640);
        assertThat(full.getHeight()).isEqualTo(480);
        Uploads.Download thumbnail =
                Uploads.download(seen.path("metadata").path("thumbnail_url").asString());
        assertThat(thumbnail.status()).isEqualTo(200);
        BufferedImage thumb = thumbnail.image();
        assertThat(thumb.getWidth()).isEqualTo(200);
        assertThat(thumb.getHeight()).isEqualTo(150);
    }

    /**
     * The served original keeps its pixels as the phone stored them and says how to turn them in an Exif of one
     * tag, which viewers apply; the dimensions given are the upright ones, and the thumbnail is turned already.
     */
    @Test
    default void aJpegIsTurnedUprightAndLosesItsExifAndGps() {
        TestClient.User alice = api().register("img");
        byte[] jpeg =
                TestImages.insertAfterApp0(TestImages.jpeg(TestImages.photo(400, 300, 2)), TestImages.exifApp1(6));
        assertThat(TestImages.contains(jpeg, TestImages.GPS_MARKER.getBytes(StandardCharsets.ISO_8859_1)))
                .isTrue();

        JsonNode attachment = uploads().upload(alice, "phone.jpg", "image/jpeg", jpeg);
        // Orientation 6 is "rotate 90° clockwise": the upright picture is portrait.
        assertThat(attachment.path("width").asInt()).isEqualTo(300);
        assertThat(attachment.path("height").asInt()).isEqualTo(400);
        Uploads.Download original = Uploads.download(attachment.path("url").asString());
        assertThat(original.status()).isEqualTo(200);
        assertThat(TestImages.contains(original.body(), TestImages.GPS_MARKER.getBytes(StandardCharsets.ISO_8859_1)))
                .as("GPS data in the served original")
                .isFalse();
        List<TestImages.Segment> metadata = TestImages.jpegMetadata(original.body());
        assertThat(metadata)
                .extracting(TestImages.Segment::marker)
                .as("JFIF and Exif only")
                .containsExactly(0xe0, 0xe1);
        assertThat(metadata.get(0).payload()).as("JFIF without a thumbnail").hasSize(14);
        assertThat(metadata.get(1).payload()).isEqualTo(TestImages.orientationOnlyExif(6));
        assertThat(original.image().getWidth()).as("pixels as stored").isEqualTo(400);
        BufferedImage thumb =
                Uploads.download(attachment.path("thumbnail_url").asString()).image();
        assertThat(thumb.getWidth()).isEqualTo(150);
        assertThat(thumb.getHeight()).isEqualTo(200);
    }

    @Test
    default void webpAndGifAreAcceptedAndThumbnailed() throws Exception {
        TestClient.User alice = api().register("img");
        byte[] webp = TestImages.resource("/dev/parley/attachment/image/lossy.webp");
        JsonNode fromWebp = uploads().upload(alice, "sticker.webp", "image/webp", webp);
        assertThat(fromWebp.path("mime_type").asString()).isEqualTo("image/webp");
        assertThat(Uploads.download(fromWebp.path("url").asString()).status()).isEqualTo(200);
        BufferedImage webpThumb =
                Uploads.download(fromWebp.path("thumbnail_url").asString()).image();
        assertThat(Math.max(webpThumb.getWidth(), webpThumb.getHeight())).isLessThanOrEqualTo(200);

        byte[] gif = TestImages.gif(TestImages.photo(300, 600, 3));
        JsonNode fromGif = uploads().upload(alice, "funny.gif", "image/gif", gif);
        assertThat(fromGif.path("width").asInt()).isEqualTo(300);
        assertThat(fromGif.path("height").asInt()).isEqualTo(600);
        BufferedImage gifThumb =
                Uploads.download(fromGif.path("thumbnail_url").asString()).image();
        assertThat(gifThumb.getWidth()).isEqualTo(100);
        assertThat(gifThumb.getHeight()).isEqualTo(200);
    }

    @Test
    default void aTextFileNamedPngIsRefusedWithAReason() {
        TestClient.User alice = api().register("img");
        byte[] text = "definitely a picture, trust me\n".repeat(20).getBytes(StandardCharsets.UTF_8);
        JsonNode ticket = uploads()
                .ticket(alice, "cat.png", "image/png", text.length)
                .expect(200)
                .json();
        assertThat(Uploads.put(ticket, text)).isEqualTo(200);
        var refused = uploads()
                .complete(alice, UUID.fromString(ticket.path("attachment_id").asString()))
                .expectError(422, "INVALID_ATTACHMENT");
        assertThat(refused.json().path("message").asString()).isNotBlank();
        // And it cannot be sent.
        UUID conversation = chat().direct(alice, api().register("img"));
        uploads()
                .sendImage(alice, conversation, ticket.path("attachment_id").asString(), null, null)
                .expectError(422, "INVALID_ATTACHMENT");
    }

    @Test
    default void aPngClaimingFiftyThousandSquaredPixelsIsRefusedFromItsHeader() {
        TestClient.User alice = api().register("img");
        byte[] bomb = TestImages.pngHeaderOnly(50_000, 50_000);
        JsonNode ticket = uploads()
                .ticket(alice, "bomb.png", "image/png", bomb.length)
                .expect(200)
                .json();
        assertThat(Uploads.put(ticket, bomb)).isEqualTo(200);
        var refused = uploads()
                .complete(alice, UUID.fromString(ticket.path("attachment_id").asString()))
                .expectError(422, "INVALID_ATTACHMENT");
        assertThat(refused.json().path("message").asString()).containsIgnoringCase("pixel");
    }

    @Test
    default void aPolyglotLosesItsPayload() {
        TestClient.User alice = api().register("img");
        byte[] payload = "PK\3\4<script>alert('parley-polyglot')</script>".getBytes(StandardCharsets.ISO_8859_1);
        byte[] png = TestImages.png(TestImages.photo(120, 80, 4));
        byte[] polyglot = TestImages.concat(
                TestImages.insertBeforeIend(
                        png,
                        TestImages.pngChunk(
                                "tEXt", TestImages.concat("Comment\0".getBytes(StandardCharsets.ISO_8859_1), payload))),
                payload);
        JsonNode attachment = uploads().upload(alice, "innocent.png", "image/png", polyglot);
        Uploads.Download served = Uploads.download(attachment.path("url").asString());
        assertThat(served.status()).isEqualTo(200);
        assertThat(TestImages.contains(served.body(), "parley-polyglot".getBytes(StandardCharsets.ISO_8859_1)))
                .isFalse();
        assertThat(served.image().getWidth()).isEqualTo(120);
    }

    @Test
    default void anUploadLargerThanDeclaredOrOfAnotherTypeIsNotStored() {
        TestClient.User alice = api().register("img");
        byte[] png = TestImages.png(TestImages.photo(64, 64, 5));
        JsonNode ticket = uploads()
                .ticket(alice, "small.png", "image/png", png.length - 10)
                .expect(200)
                .json();
        assertThat(Uploads.put(ticket, png)).isBetween(400, 499);
        UUID id = UUID.fromString(ticket.path("attachment_id").asString());
        uploads().complete(alice, id).expectError(422, "INVALID_ATTACHMENT");

        JsonNode typed = uploads()
                .ticket(alice, "typed.png", "image/png", png.length)
                .expect(200)
                .json();
        assertThat(Uploads.put(typed, png, "text/html")).isBetween(400, 499);
        uploads()
                .complete(alice, UUID.fromString(typed.path("attachment_id").asString()))
                .expectError(422, "INVALID_ATTACHMENT");
    }

    @Test
    default void declaredTypesAndSizesAreCheckedBeforeAnyUpload() {
        TestClient.User alice = api().register("img");
        uploads().ticket(alice, "doc.pdf", "application/pdf", 1000).expectError(422, "INVALID_ATTACHMENT");
        uploads()
                .ticket(alice, "huge.png", "image/png", 10L * 1024 * 1024 + 1)
                .expectError(413, "ATTACHMENT_TOO_LARGE");
        uploads().ticket(alice, "empty.png", "image/png", 0).expectError(400, "VALIDATION_FAILED");
        JsonNode ticket =
                uploads().ticket(alice, "ok.png", "IMAGE/PNG", 1000).expect(200).json();
        assertThat(ticket.path("expires_in").asLong()).isBetween(1L, 900L);
        assertThat(ticket.path("headers").path("Content-Type").asString()).isEqualTo("image/png");
        // Completing before the bytes are there says so.
        uploads()
                .complete(alice, UUID.fromString(ticket.path("attachment_id").asString()))
                .expectError(422, "INVALID_ATTACHMENT");
    }

    @Test
    default void anotherUsersAttachmentCannotBeCompletedSentOrSeenByOutsiders() {
        TestClient.User alice = api().register("img");
        TestClient.User bob = api().register("img");
        TestClient.User mallory = api().register("img");
        UUID conversation = chat().direct(alice, bob);
        JsonNode attachment =
                uploads().upload(alice, "mine.png", "image/png", TestImages.png(TestImages.photo(50, 50, 6)));
        String id = attachment.path("attachment_id").asString();

        uploads().complete(mallory, UUID.fromString(id)).expectError(404, "ATTACHMENT_NOT_FOUND");
        UUID mallorysChat = chat().direct(mallory, bob);
        uploads().sendImage(mallory, mallorysChat, id, null, null).expectError(404, "ATTACHMENT_NOT_FOUND");
        api().get("/api/v1/messages/attachments/" + id, mallory.token()).expectError(404, "ATTACHMENT_NOT_FOUND");
        api().get("/api/v1/messages/attachments/" + id, bob.token()).expectError(404, "ATTACHMENT_NOT_FOUND");

        uploads().sendImage(alice, conversation, id, null, "once").expect(201);
        // Now Bob is a participant of the conversation it was sent to; Mallory still is not.
        assertThat(api().get("/api/v1/messages/attachments/" + id, bob.token())
                        .expect(200)
                        .json()
                        .path("url")
                        .asString())
                .isNotBlank();
        api().get("/api/v1/messages/attachments/" + id, mallory.token()).expectError(404, "ATTACHMENT_NOT_FOUND");
        api().get("/api/v1/conversations/" + conversation + "/messages", mallory.token())
                .expectError(404, "CONVERSATION_NOT_FOUND");
    }

    @Test
    default void anAttachmentIsSentOnceButARetryReturnsTheSameMessage() {
        TestClient.User alice = api().register("img");
        UUID conversation = chat().direct(alice, api().register("img"));
        String id = uploads()
                .upload(alice, "once.png", "image/png", TestImages.png(TestImages.photo(40, 40, 7)))
                .path("attachment_id")
                .asString();
        JsonNode first = uploads()
                .sendImage(alice, conversation, id, null, "k-1")
                .expect(201)
                .json();
        JsonNode retry = uploads()
                .sendImage(alice, conversation, id, null, "k-1")
                .expect(200)
                .json();
        assertThat(retry.path("message_id").asString())
                .isEqualTo(first.path("message_id").asString());
        uploads().sendImage(alice, conversation, id, null, "k-2").expectError(409, "CONFLICT");
        assertThat(chat().history(alice, conversation)).hasSize(1);
    }

    @Test
    default void aDeletedMessagesImageIsNoLongerServed() {
        TestClient.User alice = api().register("img");
        TestClient.User bob = api().register("img");
        UUID conversation = chat().direct(alice, bob);
        String id = uploads()
                .upload(alice, "regret.png", "image/png", TestImages.png(TestImages.photo(60, 60, 8)))
                .path("attachment_id")
                .asString();
        JsonNode message = uploads()
                .sendImage(alice, conversation, id, null, null)
                .expect(201)
                .json();
        String url = message.path("metadata").path("image_url").asString();
        String thumbnailUrl = message.path("metadata").path("thumbnail_url").asString();
        assertThat(Uploads.download(url).status()).isEqualTo(200);

        api().delete("/api/v1/messages/" + message.path("message_id").asString(), alice.token())
                .expect(204);

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(Uploads.download(url).status()).isBetween(400, 499);
            assertThat(Uploads.download(thumbnailUrl).status()).isBetween(400, 499);
        });
        JsonNode tombstone = chat().history(bob, conversation).get(0);
        assertThat(tombstone.path("is_deleted").asBoolean()).isTrue();
        assertThat(tombstone.path("metadata").has("image_url")).isFalse();
        assertThat(api().get("/api/v1/messages/attachments/" + id, alice.token())
                        .expect(200)
                        .json()
                        .path("upload_status")
                        .asString())
                .isEqualTo("deleted");
    }

    @Test
    default void cmykAndYcckJpegsArriveWithTheirColours() throws Exception {
        TestClient.User alice = api().register("img");
        for (String fixture : new String[] {"cmyk.jpg", "ycck.jpg"}) {
            byte[] jpeg = TestImages.resource("/dev/parley/attachment/image/" + fixture);
            JsonNode attachment = uploads().upload(alice, fixture, "image/jpeg", jpeg);
            TestImages.assertCmykPatches(
                    Uploads.download(attachment.path("url").asString()).image());
            TestImages.assertCmykPatches(
                    Uploads.download(attachment.path("thumbnail_url").asString())
                            .image());
        }
    }

    /**
     * A used upload URL may still be signed (S3 takes the PUT; the local store refuses it): whatever it writes is
     * never what was checked and processed, and the sweep removes it.
     */
    @Test
    default void anUploadUrlUsedAgainChangesNothingAndLeavesNothingBehind() {
        TestClient.User alice = api().register("img");
        byte[] png = TestImages.png(TestImages.photo(64, 48, 15));
        Uploads.Put put = uploads().ticketAndPut(alice, "once.png", "image/png", png);
        UUID id = put.id();
        JsonNode attachment = uploads().complete(alice, id).expect(200).json();
        byte[] processed = Uploads.download(api().get("/api/v1/messages/attachments/" + id, alice.token())
                        .expect(200)
                        .json()
                        .path("url")
                        .asString())
                .body();

        // Other bytes of the signed length.
        byte[] other = png.clone();
        other[other.length / 2] ^= 0x55;
        assertThat(Uploads.put(put.ticket(), other)).isIn(200, 403);

        assertSweptAway(id);
        JsonNode now = api().get("/api/v1/messages/attachments/" + id, alice.token())
                .expect(200)
                .json();
        assertThat(now.path("upload_status").asString())
                .isEqualTo(attachment.path("upload_status").asString());
        assertThat(Uploads.download(now.path("url").asString()).body()).isEqualTo(processed);
    }

    @Test
    default void aRefusedUploadsUrlUsedAgainLeavesNothingBehind() {
        TestClient.User alice = api().register("img");
        byte[] text = "not a picture at all\n".repeat(10).getBytes(StandardCharsets.UTF_8);
        Uploads.Put put = uploads().ticketAndPut(alice, "fake.png", "image/png", text);
        UUID id = put.id();
        uploads().complete(alice, id).expectError(422, "INVALID_ATTACHMENT");
        assertThat(Uploads.put(put.ticket(), text)).isIn(200, 403);

        assertSweptAway(id);
        uploads().complete(alice, id).expectError(422, "INVALID_ATTACHMENT");
    }

    @Test
    default void theSweepRemovesWhatNoUploadOwnsButNeverAnUploadStillWaitingToBeCompleted() throws Exception {
        TestClient.User alice = api().register("img");
        byte[] png = TestImages.png(TestImages.photo(40, 40, 17));
        UUID id = uploads().ticketAndPut(alice, "later.png", "image/png", png).id();
        // Left by a node that died, say: a key of the quarantine with no attachment behind it.
        String orphan = Keys.quarantine(UUID.randomUUID());
        Path file = Files.createTempFile("orphan-", ".bin");
        try {
            Files.write(file, png);
            storage().put(orphan, file, "image/png");
        } finally {
            Files.delete(file);
        }

        assertThat(quarantineSweep().sweep(Instant.now().plus(Duration.ofDays(1))))
                .isPositive();
        assertThat(storage().size(orphan)).isEmpty();
        assertThat(storage().size(Keys.quarantine(id))).contains((long) png.length);
        assertThat(uploads()
                        .complete(alice, id)
                        .expect(200)
                        .json()
                        .path("upload_status")
                        .asString())
                .isIn("processing", "completed");
    }

    /** A sweep that counts every object as old enough leaves nothing of the attachment in quarantine. */
    private void assertSweptAway(UUID id) {
        quarantineSweep().sweep(Instant.now().plus(Duration.ofDays(1)));
        assertThat(storage().size(Keys.quarantine(id))).isEmpty();
        assertThat(storage().size(Keys.checked(id))).isEmpty();
    }
}
