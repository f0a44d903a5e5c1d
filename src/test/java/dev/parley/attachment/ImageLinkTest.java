package dev.parley.attachment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.attachment.image.TestImages;
import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An image message and its attachment are linked once, by the attachment's {@code message_id}: the message's
 * stored metadata holds no copy, and the wire's {@code metadata.attachment_id} is built from the link when read.
 * Messages stored before that (with the copy) are moved over by V10 without a change on the wire.
 */
class ImageLinkTest extends ApiTest {

    /** Where V10's data step starts; everything before it defines the membership views. */
    private static final String DATA_STEP = "-- One link between an image message and its attachment.";

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private JdbcTemplate plainJdbc;

    @Autowired
    private TransactionTemplate transactions;

    @Test
    void theLinkIsStoredOnceAndTheMessageStillNamesItsAttachment() {
        TestClient.User alice = api.register("link");
        TestClient.User bob = api.register("link");
        UUID conversation = chat.direct(alice, bob);
        String attachmentId = upload(alice);

        JsonNode sent = uploads()
                .sendImage(alice, conversation, attachmentId, "A caption @" + bob.username(), "l-1")
                .expect(201)
                .json();
        UUID messageId = UUID.fromString(sent.path("message_id").asString());

        assertThat(sent.path("metadata").path("attachment_id").asString()).isEqualTo(attachmentId);
        assertThat(storedMetadata(messageId).has("attachment_id"))
                .as("no copy in the message's metadata")
                .isFalse();
        assertThat(storedMetadata(messageId).path("mentions").get(0).asString()).isEqualTo("@" + bob.username());
        assertThat(linkOf(attachmentId)).isEqualTo(messageId);
        JsonNode read = chat.history(bob, conversation).get(0);
        assertThat(read.path("metadata").path("attachment_id").asString()).isEqualTo(attachmentId);
        assertThat(read.path("attachments").get(0).path("attachment_id").asString())
                .isEqualTo(attachmentId);
    }

    @Test
    void theMigrationMovesAnEarlierCopyOutWithoutAChangeOnTheWire() throws IOException {
        TestClient.User alice = api.register("link");
        TestClient.User bob = api.register("link");
        UUID conversation = chat.direct(alice, bob);
        String attachmentId = upload(alice);
        UUID messageId = UUID.fromString(uploads()
                .sendImage(alice, conversation, attachmentId, null, null)
                .expect(201)
                .json()
                .path("message_id")
                .asString());
        JsonNode before = withoutUrls(chat.history(bob, conversation).get(0));
        // As a message stored by the code before V10: the copy in its metadata; and, to see the backfill, its
        // attachment row without the link (which that code never left behind).
        jdbc.sql("""
                UPDATE messages SET metadata = metadata || jsonb_build_object('attachment_id', CAST(:aid AS text))
                WHERE message_id = :mid""").param("aid", attachmentId).param("mid", messageId).update();
        jdbc.sql("UPDATE message_attachments SET message_id = NULL WHERE attachment_id = CAST(:aid AS uuid)")
                .param("aid", attachmentId)
                .update();

        String migration = v10().substring(v10().indexOf(DATA_STEP));
        // As Flyway runs it: plain statements (its ? is jsonb's operator, not a parameter), in one transaction.
        transactions.executeWithoutResult(status -> {
            for (String statement : migration.split(";\\s*\\n")) {
                if (!statement.isBlank()) {
                    plainJdbc.execute(statement);
                }
            }
        });

        assertThat(storedMetadata(messageId).has("attachment_id")).isFalse();
        assertThat(linkOf(attachmentId)).isEqualTo(messageId);
        assertThat(withoutUrls(chat.history(bob, conversation).get(0))).isEqualTo(before);
    }

    private Uploads uploads() {
        return new Uploads(api);
    }

    private String upload(TestClient.User user) {
        return uploads()
                .upload(user, "link.png", "image/png", TestImages.png(TestImages.photo(64, 48, 7)))
                .path("attachment_id")
                .asString();
    }

    private JsonNode storedMetadata(UUID messageId) {
        String json = jdbc.sql("SELECT metadata::text FROM messages WHERE message_id = :mid")
                .param("mid", messageId)
                .query(String.class)
                .single();
        return TestClient.JSON.readTree(json);
    }

    private UUID linkOf(String attachmentId) {
        return jdbc.sql("SELECT message_id FROM message_attachments WHERE attachment_id = CAST(:aid AS uuid)")
                .param("aid", attachmentId)
                .query(UUID.class)
                .single();
    }

    /** The message as a client sees it, less the signed URLs, which are minted afresh for every read. */
    private static JsonNode withoutUrls(JsonNode message) {
        JsonNode copy = message.deepCopy();
        for (JsonNode node :
                List.of(copy.path("metadata"), copy.path("attachments").path(0))) {
            if (node instanceof ObjectNode object) {
                object.remove(List.of("image_url", "thumbnail_url", "url"));
            }
        }
        return copy;
    }

    private static String v10() throws IOException {
        try (InputStream in = ImageLinkTest.class.getResourceAsStream(
                "/db/migration/V10__own_membership_rules_and_image_links.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
