package dev.parley.screening;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One operator rule: a word or phrase, or a {@code /regular expression/}, and what happens to text that has it.
 * Written one per line ({@code reject casino bonus}, {@code mask /fr[e3]{2} money/}); {@code number} is its place in
 * the list, which refusals name instead of the pattern (the audit log must not repeat what was refused).
 */
record ContentRule(int number, Action action, String word, Pattern pattern) {

    enum Action {
        REJECT,
        MASK;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final int MAX_LENGTH = 512;

    /** Parses one line; blank lines and {@code #} comments give null. Throws IllegalArgumentException. */
    static ContentRule parse(int number, String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return null;
        }
        if (trimmed.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("content rule " + number + " is over " + MAX_LENGTH + " characters");
        }
        int space = trimmed.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("content rule " + number + " needs an action and a pattern: "
                    + "\"reject <word>\", \"mask /<regex>/\"");
        }
        Action action = switch (trimmed.substring(0, space).toLowerCase(Locale.ROOT)) {
            case "reject" -> Action.REJECT;
            case "mask" -> Action.MASK;
            default -> throw new IllegalArgumentException("content rule " + number + ": the action is reject or mask");
        };
        String rest = trimmed.substring(space + 1).strip();
        if (rest.length() >= 2 && rest.startsWith("/") && rest.endsWith("/")) {
            try {
                return new ContentRule(number, action, null, Pattern.compile(rest.substring(1, rest.length() - 1)));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "content rule " + number + " is not a valid regex: " + e.getDescription(), e);
            }
        }
        if (FoldedText.of(rest).letters.isEmpty()) {
            throw new IllegalArgumentException("content rule " + number + " has no letters or digits to match");
        }
        return new ContentRule(number, action, rest, null);
    }
}
