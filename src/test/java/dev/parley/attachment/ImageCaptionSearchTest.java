package dev.parley.attachment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.attachment.image.TestImages;
import dev.parley.support.ApiTest;
import dev.parley.support.Chat;
import dev.parley.support.TestClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** An image message is found by its caption, with its image's URLs minted for the searcher. */
class ImageCaptionSearchTest extends ApiTest {

    @Test
    void anImageIsFoundByItsCaption() {
        String word = "flamingo" + Long.toString(System.nanoTime(), 36).replaceAll("[0-9]", "q");
        TestClient.User alice = api.register("caption");
        TestClient.User bob = api.register("caption");
        UUID conversation = chat.direct(alice, bob);
        Uploads uploads = new Uploads(api);
        byte[] png = TestImages.png(TestImages.photo(64, 48, 7));
        JsonNode attachment = uploads.upload(alice, "bird.png", "image/png", png);
        UUID id = uploads.sendImage(
                        alice, conversation, attachment.path("attachment_id").asString(), "a pink " + word, null)
                .expect(201)
                .id("message_id");

        // Search trails sends by about a second (indexed in the background).
        Chat.eventually(() -> {
            JsonNode found = chat.search(bob, null, word);
            assertThat(found).hasSize(1);
            assertThat(found.get(0).path("message_id").asString()).isEqualTo(id.toString());
            assertThat(found.get(0).path("type").asString()).isEqualTo("image");
            assertThat(found.get(0).path("metadata").path("image_url").asString())
                    .isNotBlank();
        });
        assertThat(chat.search(bob, conversation, word)).hasSize(1);
    }
}
