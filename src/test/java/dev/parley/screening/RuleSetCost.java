package dev.parley.screening;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * For the rules benchmark: the CPU time the content rules add to one message, measured in this JVM on the very
 * {@link RuleSet} the send path uses, as thread CPU time (so a crowded machine's waiting is not counted).
 */
public final class RuleSetCost {

    private RuleSetCost() {}

    /** Median CPU nanoseconds per message judged, over {@code rounds} rounds of every text, for these rule lines. */
    public static long nanosPerMessage(List<String> lines, List<String> texts, int rounds) {
        List<ContentRule> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ContentRule rule = ContentRule.parse(i + 1, lines.get(i));
            if (rule != null) {
                parsed.add(rule);
            }
        }
        RuleSet rules = new RuleSet(parsed);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int warm = 0; warm < 2_000; warm++) {
            sink += rules.judge(texts.get(warm % texts.size())).masked();
        }
        long[] perRound = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = cpu.getCurrentThreadCpuTime();
            for (String text : texts) {
                sink += rules.judge(text).masked();
            }
            perRound[r] = (cpu.getCurrentThreadCpuTime() - start) / texts.size();
        }
        if (sink < 0) {
            throw new IllegalStateException();
        }
        Arrays.sort(perRound);
        return perRound[rounds / 2];
    }
}
