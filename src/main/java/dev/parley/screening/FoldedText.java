package dev.parley.screening;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A text as the content rules see it, and the way back to the original. Each code point is folded on its own:
 * NFKC with case folding (which also drops default-ignorable characters such as zero-width joiners, soft hyphens
 * and bidi controls), combining marks removed, and a non-ASCII letter that is a look-alike of ASCII replaced by it
 * (its UTS #39 confusable skeleton, when that skeleton is ASCII). ASCII itself is only lower-cased: the skeleton
 * would turn {@code m} into {@code rn}, which would surprise whoever writes a pattern. Folding code point by code
 * point keeps the way back exact: every folded character knows the original code point it came from.
 *
 * <p>Two views: {@link #full} (every folded character, separators included; what patterns match) and
 * {@link #letters} (letters and digits only; what words match), cut into tokens at separators, with whether each
 * gap held whitespace, so that a word may match across the gaps of a spaced-out or dotted spelling.
 */
final class FoldedText {

    private static final Normalizer2 NFKC_CF = Normalizer2.getNFKCCasefoldInstance();
    private static final Normalizer2 NFD = Normalizer2.getNFDInstance();
    private static final SpoofChecker SPOOF = new SpoofChecker.Builder().build();
    /** Folded non-ASCII code points; bounded, since a text may bring any of a million. */
    private static final Map<Integer, String> CACHE = new ConcurrentHashMap<>();

    private static final int CACHE_MAX = 65_536;

    final String original;
    final StringBuilder full;
    final int[] fullFrom;
    final int[] fullTo;
    final StringBuilder letters;
    final int[] lettersFrom;
    final int[] lettersTo;
    /** For each letter: the index of its token. */
    final int[] tokenOf;
    /** For each token: where it starts in {@link #letters}, its length, and whether whitespace came before it. */
    final int[] tokenStart;

    final int[] tokenLength;
    final boolean[] spaceBefore;
    final int tokens;

    private FoldedText(String original) {
        this.original = original;
        int capacity = original.length() + 8;
        full = new StringBuilder(capacity);
        letters = new StringBuilder(capacity);
        int[] fFrom = new int[capacity];
        int[] fTo = new int[capacity];
        int[] lFrom = new int[capacity];
        int[] lTo = new int[capacity];
        int[] token = new int[capacity];
        int[] tStart = new int[capacity];
        int[] tLength = new int[capacity];
        boolean[] space = new boolean[capacity];
        int count = 0;
        boolean inToken = false;
        boolean sawSpace = false;
        for (int i = 0; i < original.length(); ) {
            int cp = original.codePointAt(i);
            int end = i + Character.charCount(cp);
            String folded = fold(cp);
            for (int k = 0; k < folded.length(); k++) {
                char c = folded.charAt(k);
                if (full.length() == fFrom.length) {
                    fFrom = Arrays.copyOf(fFrom, fFrom.length * 2);
                    fTo = Arrays.copyOf(fTo, fTo.length * 2);
                }
                fFrom[full.length()] = i;
                fTo[full.length()] = end;
                full.append(c);
                if (Character.isLetterOrDigit(c)) {
                    int at = letters.length();
                    if (at == lFrom.length) {
                        lFrom = Arrays.copyOf(lFrom, lFrom.length * 2);
                        lTo = Arrays.copyOf(lTo, lTo.length * 2);
                        token = Arrays.copyOf(token, token.length * 2);
                    }
                    if (!inToken) {
                        if (count == tStart.length) {
                            tStart = Arrays.copyOf(tStart, count * 2);
                            tLength = Arrays.copyOf(tLength, count * 2);
                            space = Arrays.copyOf(space, count * 2);
                        }
                        tStart[count] = at;
                        space[count] = sawSpace;
                        count++;
                        inToken = true;
                        sawSpace = false;
                    }
                    tLength[count - 1]++;
                    lFrom[at] = i;
                    lTo[at] = end;
                    token[at] = count - 1;
                    letters.append(c);
                } else {
                    inToken = false;
                    sawSpace |= Character.isWhitespace(c) || Character.isSpaceChar(c);
                }
            }
            i = end;
        }
        fullFrom = fFrom;
        fullTo = fTo;
        lettersFrom = lFrom;
        lettersTo = lTo;
        tokenOf = token;
        tokenStart = tStart;
        tokenLength = tLength;
        spaceBefore = space;
        tokens = count;
    }

    static FoldedText of(String text) {
        return new FoldedText(text);
    }

    /** The folded form of a whole string, as {@link #full} would hold it. */
    static String fold(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.append(fold(cp)));
        return out.toString();
    }

    static String fold(int cp) {
        if (cp < 0x80) {
            return cp >= 'A' && cp <= 'Z' ? String.valueOf((char) (cp + 32)) : String.valueOf((char) cp);
        }
        String cached = CACHE.get(cp);
        if (cached != null) {
            return cached;
        }
        String folded = foldSlow(cp);
        if (CACHE.size() < CACHE_MAX) {
            CACHE.put(cp, folded);
        }
        return folded;
    }

    private static String foldSlow(int cp) {
        String original = new String(Character.toChars(cp));
        String normal = NFKC_CF.normalize(original);
        StringBuilder out = new StringBuilder(normal.length());
        normal.codePoints().forEach(c -> {
            if (c < 0x80) {
                out.appendCodePoint(c);
                return;
            }
            String bare = withoutMarks(NFD.normalize(new String(Character.toChars(c))));
            String ascii = asciiLookAlike(bare);
            if (ascii == null && normal.codePointCount(0, normal.length()) == 1) {
                // Some capitals look like an ASCII letter while their lower case does not (Cyrillic Ь, b).
                ascii = asciiLookAlike(withoutMarks(NFD.normalize(original)));
            }
            out.append(ascii != null ? ascii : bare);
        });
        return out.toString();
    }

    /** The lower-cased ASCII that {@code text} looks like, or null when its skeleton is not ASCII. */
    private static String asciiLookAlike(String text) {
        if (text.chars().allMatch(ch -> ch < 0x80)) {
            return UCharacter.toLowerCase(text);
        }
        String skeleton = UCharacter.toLowerCase(withoutMarks(SPOOF.getSkeleton(text)));
        return skeleton.chars().allMatch(ch -> ch < 0x80) ? skeleton : null;
    }

    private static String withoutMarks(String decomposed) {
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(c -> {
            int type = UCharacter.getType(c);
            if (type != UCharacter.NON_SPACING_MARK && type != UCharacter.ENCLOSING_MARK && type != UCharacter.FORMAT) {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
