package dev.parley.reaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmojiTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"👍", "🎉", "👍🏽", "❤️", "☺️", "🇯🇵", "1️⃣", "#️⃣", "*️⃣", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🧑🏾‍💻"})
    void oneEmojiIsAccepted(String emoji) {
        assertThat(Emoji.isSingleEmoji(emoji)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "a", "ab", "1", "#", "1️", "1⃣", "🇯", "🇯🇵🇫🇷", "👍👍", "👍 ", " 👍", "❤", "©", "👍a"})
    void anythingElseIsRefused(String value) {
        assertThat(Emoji.isSingleEmoji(value)).isFalse();
    }

    @Test
    void redundantVariationSelectorsAreDroppedSoOneEmojiHasOneSpelling() {
        assertThat(Emoji.normalize("👍\uFE0F")).isEqualTo("👍");
        assertThat(Emoji.normalize("❤️")).isEqualTo("❤️");
        assertThat(Emoji.normalize("1️⃣")).isEqualTo("1️⃣");
        assertThat(Emoji.normalize("🏳️‍🌈")).isEqualTo("🏳️‍🌈");
    }
}
