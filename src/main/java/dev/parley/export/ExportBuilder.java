package dev.parley.export;

import dev.parley.contact.ContactService;
import dev.parley.contact.ContactStatus;
import dev.parley.storage.ObjectStorage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one export's ZIP (docs/export-format.md) to a temporary file, streaming: messages a page at a time, image
 * files copied through an 8 KiB buffer, so memory stays bounded whatever the account's size; the file then goes
 * to object storage and is removed.
 */
@Component
class ExportBuilder {

    static final int PAGE = 1000;
    static final String CONTENT_TYPE = "application/zip";
    static final String FORMAT_VERSION = "1";

    private final ExportSource source;
    private final ExportRepository exports;
    private final ObjectStorage storage;
    private final JsonMapper json;
    private final ContactService contacts;

    ExportBuilder(
            ExportSource source,
            ExportRepository exports,
            ObjectStorage storage,
            JsonMapper json,
            ContactService contacts) {
        this.source = source;
        this.exports = exports;
        this.storage = storage;
        this.json = json;
        this.contacts = contacts;
    }

    /** Builds and stores the export; returns the stored size, or empty when the user is gone. */
    Optional<Long> build(UUID exportId, UUID userId, String key) throws IOException {
        Optional<Map<String, Object>> profile = source.profile(userId);
        if (profile.isEmpty()) {
            return Optional.empty();
        }
        Path file = Files.createTempFile("parley-export-", ".zip");
        try {
            try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
                entry(zip, "profile.json", Map.of("format_version", FORMAT_VERSION, "user", profile.get()));
                entry(zip, "conversations.json", Map.of("conversations", source.conversations(userId)));
                writeMessages(zip, exportId, userId);
                entry(zip, "reactions.json", Map.of("reactions", source.reactions(userId)));
                entry(zip, "receipts.json", Map.of("receipts", source.receipts(userId)));
                entry(zip, "contacts.json", Map.of("contacts", contacts(userId)));
                writeImages(zip, source.images(userId));
            }
            storage.put(key, file, CONTENT_TYPE);
            return Optional.of(Files.size(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void writeMessages(ZipOutputStream zip, UUID exportId, UUID userId) throws IOException {
        zip.putNextEntry(new ZipEntry("messages.jsonl"));
        Instant afterTime = Instant.EPOCH;
        UUID afterId = new UUID(0L, 0L);
        long written = 0;
        List<Map<String, Object>> page;
        do {
            page = source.messages(userId, afterTime, afterId, PAGE);
            for (Map<String, Object> message : page) {
                Object metadata = message.get("metadata");
                message.put("metadata", metadata == null ? Map.of() : json.readTree((String) metadata));
                zip.write(json.writeValueAsBytes(message));
                zip.write('\n');
            }
            if (!page.isEmpty()) {
                Map<String, Object> last = page.getLast();
                afterTime = (Instant) last.get("created_at");
                afterId = (UUID) last.get("message_id");
                written += page.size();
                exports.progress(exportId, written);
            }
        } while (page.size() == PAGE);
        zip.closeEntry();
    }

    /**
     * The user's contacts, then the requests to them, then theirs to others, each as {@code GET /users/me/contacts}
     * lists it (the contact module alone knows what makes a pair's status), paged through that listing.
     */
    private List<ContactService.ContactView> contacts(UUID userId) {
        List<ContactService.ContactView> out = new ArrayList<>();
        for (ContactStatus status : List.of(ContactStatus.ACCEPTED, ContactStatus.INCOMING, ContactStatus.OUTGOING)) {
            String cursor = null;
            do {
                ContactService.ContactPage page = contacts.list(userId, status.wire(), cursor, ContactService.MAX_PAGE);
                out.addAll(page.contacts());
                cursor = page.nextCursor();
            } while (cursor != null);
        }
        return out;
    }

    private void writeImages(ZipOutputStream zip, List<ExportSource.Image> images) throws IOException {
        for (ExportSource.Image image : images) {
            Optional<InputStream> body = storage.open(image.storageKey());
            if (body.isEmpty()) {
                continue;
            }
            zip.putNextEntry(new ZipEntry("images/" + image.attachmentId() + extension(image.mimeType())));
            try (InputStream in = body.get()) {
                in.transferTo(zip);
            }
            zip.closeEntry();
        }
    }

    private void entry(ZipOutputStream zip, String name, Object value) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(
                json.writerWithDefaultPrettyPrinter().writeValueAsString(value).getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static String extension(String mimeType) {
        return switch (mimeType == null ? "" : mimeType) {
            case "image/jpeg" -> ".jpg";
            case "image/png" -> ".png";
            case "image/webp" -> ".webp";
            case "image/gif" -> ".gif";
            default -> ".bin";
        };
    }
}
