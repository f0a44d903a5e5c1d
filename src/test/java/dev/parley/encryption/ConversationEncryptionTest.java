package dev.parley.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ConversationEncryptionTest {

    private final ConversationEncryption rules =
            new ConversationEncryption(null, new ConversationEncryption.E2eeProperties(65_536));

    @Test
    void ciphertextUpToTheLimitIsKeptAsSent() {
        String atLimit = Base64.getEncoder().encodeToString(new byte[49_152]);
        assertThat(atLimit).hasSize(65_536);
        assertThat(rules.requireCiphertext(atLimit)).isSameAs(atLimit);
    }

    @Test
    void overTheLimitOrNotBase64IsRefused() {
        String over = Base64.getEncoder().encodeToString(new byte[49_155]);
        assertThatThrownBy(() -> rules.requireCiphertext(over))
                .isInstanceOfSatisfying(
                        ParleyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        assertThatThrownBy(() -> rules.requireCiphertext("no spaces in base64")).isInstanceOf(ParleyException.class);
        assertThatThrownBy(() -> rules.requireCiphertext("")).isInstanceOf(ParleyException.class);
    }

    @Test
    void theDirectoryChecksEd25519SignaturesWithTheJdk() throws Exception {
        E2eeClient client = new E2eeClient();
        byte[] message = "prekey bytes".getBytes();
        byte[] identity = Base64.getDecoder().decode((String) client.upload(0).get("identity_key"));
        assertThat(KeyDirectory.verifies(identity, message, client.sign(message)))
                .isTrue();
        assertThat(KeyDirectory.verifies(identity, "other".getBytes(), client.sign(message)))
                .isFalse();
        assertThat(KeyDirectory.verifies(identity, message, new byte[64])).isFalse();
    }
}
