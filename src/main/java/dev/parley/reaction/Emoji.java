package dev.parley.reaction;

import java.text.BreakIterator;

/** A reaction is exactly one emoji: one extended grapheme cluster that renders as an emoji. */
final class Emoji {

    static final int MAX_CHARS = 32;

    private Emoji() {
    }

    static boolean isSingleEmoji(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_CHARS) {
            return false;
        }
        BreakIterator graphemes = BreakIterator.getCharacterInstance();
        graphemes.setText(value);
        graphemes.first();
        if (graphemes.next() != value.length()) {
            return false;
        }
        int first = value.codePointAt(0);
        if (Character.isEmojiPresentation(first)) {
            return true;
        }
        // Text-default emoji (❤, ☺, digits for keycaps) count only in their emoji form: with VS16 or a keycap.
        return Character.isEmoji(first) && (value.indexOf('\uFE0F') > 0 || value.indexOf('\u20E3') > 0);
    }
}
