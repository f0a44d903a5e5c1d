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
        if (isRegionalIndicator(first)) {
            // A flag is exactly two regional indicators; one alone renders as a letter in a box.
            return value.codePointCount(0, value.length()) == 2 && isRegionalIndicator(value.codePointAt(2));
        }
        if (first < 0x80) {
            // 0-9, # and * are emoji only as keycaps: the character, VS16, then the combining keycap.
            return value.length() == 3 && value.charAt(1) == '\uFE0F' && value.charAt(2) == '\u20E3';
        }
        if (Character.isEmojiPresentation(first)) {
            return true;
        }
        // Text-default emoji (❤, ☺) count only in their emoji form, with VS16.
        return Character.isEmoji(first) && value.indexOf('\uFE0F') > 0;
    }

    private static boolean isRegionalIndicator(int codePoint) {
        return codePoint >= 0x1F1E6 && codePoint <= 0x1F1FF;
    }
}
