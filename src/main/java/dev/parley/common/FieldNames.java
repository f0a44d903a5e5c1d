package dev.parley.common;

import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;

/** The contract's names for the field a client got wrong, whichever transport it came by. */
public final class FieldNames {

    private FieldNames() {}

    /** {@code clientMessageId} → {@code client_message_id}; null → {@code body}. */
    public static String snake(String name) {
        return name == null
                ? "body"
                : name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** Where in the JSON a parse error happened, such as {@code reply_to} or {@code user_ids[2]}. */
    public static String of(List<JacksonException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : path) {
            if (ref.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }
}
