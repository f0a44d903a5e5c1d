package dev.parley.reaction;

import java.text.BreakIterator;

/** A reaction is exactly one emoji: one extended grapheme cluster that renders as an emoji. */
final class Emoji {

    static final int MAX_CHARS = 32;

    private Emoji() {}

    /**
     * One spelling per emoji: VS16 after a character that is shown as an emoji anyway changes nothing, so
     * "👍" and "👍\uFE0F" are stored (and counted against the distinct limit) as one.
     */
    static String normalize(String value) {
        if (value == null || value.indexOf('\uFE0F') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int previous = -1;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0xFE0F && previous >= 0 && Character.isEmojiPresentation(previous)) {
                continue;
            }
            out.appendCodePoint(cp);
            previous = cp;
        }
        return out.toString();
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
