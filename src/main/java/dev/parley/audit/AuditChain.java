package dev.parley.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chain's two pieces of arithmetic: an entry's details as canonical JSON (keys sorted, no spaces, only
 * strings, booleans, integers, lists and objects), and an entry's hash.
 *
 * <p>The hash is SHA-256 over a length-prefixed serialisation, so no two different entries serialise alike and
 * anyone can recompute it from the table alone: the ASCII tag {@code parley-audit-v1}; {@code seq} (8 bytes,
 * big-endian); {@code entry_id} (16 bytes); {@code at} (milliseconds since the epoch, 8 bytes); then
 * {@code actor_id} (its 36-character text), {@code action}, {@code target_type}, {@code target_id}, {@code ip} and
 * {@code details}, each as a 4-byte big-endian length (-1 for null) and its UTF-8 bytes; then {@code prev_hash}
 * (32 bytes). Written by hand rather than with a canonical-JSON library: twenty lines with the JDK's digest, and the
 * text that was hashed is stored verbatim, so nothing depends on a library's formatting staying the same.
 */
final class AuditChain {

    static final int HASH_BYTES = 32;
    /** The first entry's predecessor. */
    static final byte[] ZERO = new byte[HASH_BYTES];

    static final int DETAILS_MAX = 4096;
    private static final byte[] TAG = "parley-audit-v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NESTING_MAX = 3;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** RFC 3339 with milliseconds, as the contract writes times. */
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AuditChain() {}

    /** Instants are kept to the millisecond, as stored and as the contract writes them. */
    static Instant at(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    static byte[] hash(ChainEntry entry) {
        try {
            ByteArrayOutputStream bytes =
                    new ByteArrayOutputStream(256 + entry.details().length() * 2);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(TAG);
            out.writeLong(entry.seq());
            out.writeLong(entry.entryId().getMostSignificantBits());
            out.writeLong(entry.entryId().getLeastSignificantBits());
            out.writeLong(entry.at().toEpochMilli());
            field(out, entry.actorId() == null ? null : entry.actorId().toString());
            field(out, entry.action());
            field(out, entry.targetType());
            field(out, entry.targetId());
            field(out, entry.ip());
            field(out, entry.details());
            out.write(entry.prevHash());
            return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void field(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    /** The details as canonical JSON. Throws IllegalArgumentException for a value of another kind or too much. */
    static String details(Map<String, Object> details) {
        String json = JSON.writeValueAsString(canonical(details, 0));
        if (json.length() > DETAILS_MAX) {
            throw new IllegalArgumentException("audit details over " + DETAILS_MAX + " characters");
        }
        return json;
    }

    private static Object canonical(Object value, int depth) {
        if (depth > NESTING_MAX) {
            throw new IllegalArgumentException("audit details nest at most " + NESTING_MAX + " levels");
        }
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Integer i -> i.longValue();
            case Long l -> l;
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case BigInteger big -> big;
            case UUID id -> id.toString();
            case Instant instant -> MILLIS.format(instant);
            case Enum<?> constant -> constant.name().toLowerCase(Locale.ROOT);
            case Map<?, ?> map -> {
                Map<String, Object> sorted = new TreeMap<>();
                map.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v, depth + 1)));
                yield sorted;
            }
            case Collection<?> list -> {
                List<Object> out = new ArrayList<>(list.size());
                list.forEach(v -> out.add(canonical(v, depth + 1)));
                yield out;
            }
            default ->
                throw new IllegalArgumentException("audit details hold strings, booleans, integers, ids, "
                        + "instants, enums, lists and maps, not "
                        + value.getClass().getSimpleName());
        };
    }
}
