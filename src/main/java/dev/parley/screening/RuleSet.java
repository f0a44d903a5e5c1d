package dev.parley.screening;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.ahocorasick.trie.Emit;
import org.ahocorasick.trie.Trie;

/**
 * The operator's rules, compiled once: every word in one Aho-Corasick automaton over the folded letters (one pass
 * over a text, however many words there are), the patterns each compiled. See {@link FoldedText} for what a text
 * looks like to them.
 *
 * <p>A word matches where its letters appear in a text's letters, starting at the beginning of a token and ending
 * at the end of one, so {@code ass} does not match in {@code classic}. Inside a match, the gap between two tokens
 * counts when the rule itself has a gap there ({@code free money}), when it holds no whitespace ({@code b.a.d},
 * {@code bad_word}), or when a token beside it is a single character ({@code b a d w o r d}); so
 * {@code an al} does not spell {@code anal}.
 */
final class RuleSet {

    /** The outcome for one text: refused by {@code rejectedBy}, or allowed as {@code text} (masked where needed). */
    record Verdict(ContentRule rejectedBy, String text, int masked) {

        boolean rejected() {
            return rejectedBy != null;
        }
    }

    private record Word(ContentRule rule, boolean[] gapBefore) {}

    static final RuleSet EMPTY = new RuleSet(List.of());

    private final List<ContentRule> rules;
    private final Trie trie;
    private final Map<String, List<Word>> words = new HashMap<>();
    private final List<ContentRule> patterns = new ArrayList<>();

    RuleSet(List<ContentRule> rules) {
        this.rules = List.copyOf(rules);
        for (ContentRule rule : rules) {
            if (rule.pattern() != null) {
                patterns.add(rule);
                continue;
            }
            FoldedText folded = FoldedText.of(rule.word());
            String key = folded.letters.toString();
            boolean[] gaps = new boolean[key.length()];
            for (int t = 1; t < folded.tokens; t++) {
                gaps[folded.tokenStart[t]] = true;
            }
            words.computeIfAbsent(key, k -> new ArrayList<>()).add(new Word(rule, gaps));
        }
        trie = words.isEmpty()
                ? null
                : Trie.builder().addKeywords(words.keySet()).build();
    }

    int size() {
        return rules.size();
    }

    Verdict judge(String text) {
        if (rules.isEmpty() || text == null || text.isEmpty()) {
            return new Verdict(null, text, 0);
        }
        FoldedText folded = FoldedText.of(text);
        List<int[]> masks = new ArrayList<>();
        ContentRule rejected = null;
        if (trie != null) {
            for (Emit emit : trie.parseText(folded.letters)) {
                for (Word word : words.get(emit.getKeyword())) {
                    if (!matches(folded, emit.getStart(), emit.getEnd(), word.gapBefore())) {
                        continue;
                    }
                    if (word.rule().action() == ContentRule.Action.REJECT) {
                        rejected = first(rejected, word.rule());
                    } else {
                        masks.add(new int[] {folded.lettersFrom[emit.getStart()], folded.lettersTo[emit.getEnd()]});
                    }
                }
            }
        }
        for (ContentRule rule : patterns) {
            Matcher matcher = rule.pattern().matcher(folded.full);
            while (matcher.find()) {
                if (matcher.end() == matcher.start()) {
                    continue;
                }
                if (rule.action() == ContentRule.Action.REJECT) {
                    rejected = first(rejected, rule);
                    break;
                }
                masks.add(new int[] {folded.fullFrom[matcher.start()], folded.fullTo[matcher.end() - 1]});
            }
        }
        if (rejected != null) {
            return new Verdict(rejected, null, 0);
        }
        return masks.isEmpty() ? new Verdict(null, text, 0) : new Verdict(null, mask(text, masks), masks.size());
    }

    private static ContentRule first(ContentRule current, ContentRule candidate) {
        return current == null || candidate.number() < current.number() ? candidate : current;
    }

    private static boolean matches(FoldedText text, int start, int end, boolean[] gapBefore) {
        int first = text.tokenOf[start];
        int last = text.tokenOf[end];
        if (text.tokenStart[first] != start || text.tokenStart[last] + text.tokenLength[last] - 1 != end) {
            return false;
        }
        for (int t = first + 1; t <= last; t++) {
            boolean ruleGap = gapBefore[text.tokenStart[t] - start];
            boolean tight = !text.spaceBefore[t];
            boolean spelledOut = text.tokenLength[t] == 1 || text.tokenLength[t - 1] == 1;
            if (!ruleGap && !tight && !spelledOut) {
                return false;
            }
        }
        return true;
    }

    /** Each span (original offsets, merged where they overlap) becomes {@code ***}. */
    private static String mask(String text, List<int[]> spans) {
        spans.sort(Comparator.comparingInt(span -> span[0]));
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        int i = 0;
        while (i < spans.size()) {
            int from = spans.get(i)[0];
            int to = spans.get(i)[1];
            while (++i < spans.size() && spans.get(i)[0] < to) {
                to = Math.max(to, spans.get(i)[1]);
            }
            out.append(text, at, from).append("***");
            at = to;
        }
        return out.append(text, at, text.length()).toString();
    }
}
