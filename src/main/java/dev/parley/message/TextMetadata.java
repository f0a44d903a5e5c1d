package dev.parley.message;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A text message's metadata (docs/api.md, Objects): the @mentions and links it contains, found on the server. */
final class TextMetadata {

    private static final Pattern MENTION = Pattern.compile("(?<![\\w@])@([a-z0-9_.]{3,32})");
    private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"]+", Pattern.CASE_INSENSITIVE);
    private static final int MAX_ITEMS = 20;

    private TextMetadata() {}

    static ObjectNode of(JsonMapper json, String content) {
        ObjectNode node = json.createObjectNode();
        if (content == null) {
            return node;
        }
        // Most texts hold neither: a mention needs an '@' and a link a "://", found far faster than by the patterns.
        Set<String> mentions = content.indexOf('@') < 0 ? Set.of() : collect(MENTION.matcher(content), 0);
        Set<String> links = !content.contains("://") ? Set.of() : collect(LINK.matcher(content), 0);
        if (!mentions.isEmpty()) {
            mentions.forEach(node.putArray("mentions")::add);
        }
        if (!links.isEmpty()) {
            links.forEach(node.putArray("links")::add);
        }
        return node;
    }

    private static Set<String> collect(Matcher matcher, int group) {
        Set<String> found = new LinkedHashSet<>();
        while (matcher.find() && found.size() < MAX_ITEMS) {
            found.add(stripTrailingPunctuation(matcher.group(group)));
        }
        return found;
    }

    private static String stripTrailingPunctuation(String value) {
        int end = value.length();
        while (end > 0 && ".,;:!?)]}'".indexOf(value.charAt(end - 1)) >= 0) {
            end--;
        }
        return value.substring(0, end);
    }
}
