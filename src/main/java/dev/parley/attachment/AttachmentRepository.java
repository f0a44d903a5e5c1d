package dev.parley.attachment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code message_attachments}: one row per upload, from ticket to deletion. */
@Repository
class AttachmentRepository {

    /** A row as the service needs it. */
    record Row(
            UUID attachmentId,
            UUID uploaderId,
            UUID messageId,
            UUID conversationId,
            String fileName,
            long fileSize,
            String mimeType,
            Integer width,
            Integer height,
            String storageKey,
            String thumbnailKey,
            String thumbnailMimeType,
            String blurhash,
            UploadStatus status,
            String failureReason,
            Instant createdAt,
            Instant deletedAt) {

        boolean deleted() {
            return deletedAt != null;
        }

        /** Still to be processed: neither finished, refused nor removed. */
        boolean processing() {
            return status == UploadStatus.PROCESSING && !deleted();
        }

        /** Everything needed to remove this attachment's objects. */
        Doomed doomed() {
            return new Doomed(attachmentId, storageKey, thumbnailKey, mimeType);
        }
    }

    /** An attachment whose objects are to go: its own keys, and its type (which names the processed keys). */
    record Doomed(UUID attachmentId, String storageKey, String thumbnailKey, String mimeType) {}

    private static final String COLUMNS = """
            attachment_id, uploader_id, message_id, conversation_id, file_name, file_size, mime_type, width, height,
            storage_key, thumbnail_key, thumbnail_mime_type, blurhash, upload_status, failure_reason, created_at,
            deleted_at""";

    /** First key of the uploaders' advisory locks (two-key locks, apart from the one-key ones used elsewhere). */
    private static final int IMAGE_JOB_LOCKS = 8;

    private final JdbcClient jdbc;

    AttachmentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, UUID uploader, String fileName, long declaredSize, String mimeType, String key, Instant now) {
        jdbc.sql("""
                INSERT INTO message_attachments (attachment_id, uploader_id, file_type, file_name, file_size,
                                                 mime_type, storage_key, upload_status, created_at)
                VALUES (:id, :uploader, 'image', :name, :size, :mime, :key, 'uploading', :now)""")
                .param("id", id)
                .param("uploader", uploader)
                .param("name", fileName)
                .param("size", declaredSize)
                .param("mime", mimeType)
                .param("key", key)
                .param("now", Timestamp.from(now))
                .update();
    }

    Optional<Row> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM message_attachments WHERE attachment_id = :id")
                .param("id", id)
                .query(AttachmentRepository::row)
                .optional();
    }

    /** The attachments of these messages (a message has at most one: an attachment is claimed once). */
    List<Row> findByMessages(Collection<UUID> messageIds) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM message_attachments WHERE message_id = ANY(:ids)")
                .param("ids", messageIds.toArray(UUID[]::new))
                .query(AttachmentRepository::row)
                .list();
    }

    /**
     * uploading → processing, with what the header told and where the checked bytes now are; false when another
     * call got there first.
     */
    boolean startProcessing(UUID id, int width, int height, String storageKey) {
        return jdbc.sql("""
                UPDATE message_attachments
                SET upload_status = 'processing', width = :w, height = :h, storage_key = :key
                WHERE attachment_id = :id AND upload_status = 'uploading' AND deleted_at IS NULL""")
                        .param("id", id)
                        .param("w", width)
                        .param("h", height)
                        .param("key", storageKey)
                        .update()
                == 1;
    }

    /** Whether the upload still waits for its bytes: not completed, refused or removed, and ticketed after. */
    boolean awaitsBytes(UUID id, Instant ticketedAfter) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM message_attachments
                               WHERE attachment_id = :id AND upload_status = 'uploading' AND deleted_at IS NULL
                                 AND created_at > :after)""")
                .param("id", id)
                .param("after", Timestamp.from(ticketedAfter))
                .query(Boolean.class)
                .single();
    }

    /** Of these attachments, those whose quarantined bytes are still needed: uploading or processing. */
    Set<UUID> quarantineOwners(Collection<UUID> ids) {
        return Set.copyOf(jdbc.sql("""
                SELECT attachment_id FROM message_attachments
                WHERE attachment_id = ANY(:ids) AND upload_status IN ('uploading', 'processing')
                  AND deleted_at IS NULL""")
                .param("ids", ids.toArray(UUID[]::new))
                .query(UUID.class)
                .list());
    }

    /**
     * Marks the image job of {@code id} as running, unless another job of the same uploader runs (one marked
     * since {@code staleBefore}; an older mark is a job whose node died). The uploader's advisory lock makes the
     * check and the mark one step across nodes. False when another job runs or the attachment is no longer in
     * processing. Runs in the caller's transaction.
     */
    boolean startJob(UUID id, UUID uploader, Instant now, Instant staleBefore) {
        jdbc.sql("SELECT pg_advisory_xact_lock(" + IMAGE_JOB_LOCKS + ", hashtext(CAST(:uploader AS text)))")
                .param("uploader", uploader)
                .query((rs, i) -> 1)
                .list();
        return jdbc.sql("""
                UPDATE message_attachments a SET job_started_at = :now
                WHERE a.attachment_id = :id AND a.upload_status = 'processing' AND a.deleted_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM message_attachments o
                                  WHERE o.uploader_id = :uploader AND o.upload_status = 'processing'
                                    AND o.attachment_id <> a.attachment_id AND o.job_started_at > :stale)""")
                        .param("id", id)
                        .param("uploader", uploader)
                        .param("now", Timestamp.from(now))
                        .param("stale", Timestamp.from(staleBefore))
                        .update()
                == 1;
    }

    /** The job of {@code id} is not running (any more): the uploader's next job may start. */
    void endJob(UUID id) {
        jdbc.sql("""
                UPDATE message_attachments SET job_started_at = NULL
                WHERE attachment_id = :id AND job_started_at IS NOT NULL""").param("id", id).update();
    }

    /**
     * processing → completed. Returns the row as it is now, so the caller knows whether a message uses it (a
     * send that claimed it concurrently has committed, or waits for this row and sees the new state).
     */
    Optional<Row> complete(
            UUID id,
            String storageKey,
            long size,
            int width,
            int height,
            String thumbnailKey,
            String thumbnailMime,
            int thumbWidth,
            int thumbHeight,
            String blurhash,
            Instant now) {
        return jdbc.sql("""
                UPDATE message_attachments
                SET upload_status = 'completed', storage_key = :key, file_size = :size, width = :w, height = :h,
                    thumbnail_key = :tkey, thumbnail_mime_type = :tmime, thumbnail_width = :tw,
                    thumbnail_height = :th, blurhash = :blurhash, completed_at = :now
                WHERE attachment_id = :id AND upload_status = 'processing' AND deleted_at IS NULL
                RETURNING\s""" + COLUMNS)
                .param("id", id)
                .param("key", storageKey)
                .param("size", size)
                .param("w", width)
                .param("h", height)
                .param("tkey", thumbnailKey)
                .param("tmime", thumbnailMime)
                .param("tw", thumbWidth)
                .param("th", thumbHeight)
                .param("blurhash", blurhash)
                .param("now", Timestamp.from(now))
                .query(AttachmentRepository::row)
                .optional();
    }

    /** Refused: the bytes are not an acceptable image. The quarantined object is gone with it. */
    /** Refuses a processed image on image moderation's word; empty when it is no longer being processed. */
    Optional<Row> reject(UUID id, Instant now) {
        return jdbc.sql("""
                UPDATE message_attachments
                SET upload_status = 'rejected', failure_reason = 'Refused by image moderation',
                    deleted_at = COALESCE(deleted_at, :now), deleted_reason = COALESCE(deleted_reason, 'moderation')
                WHERE attachment_id = :id AND upload_status = 'processing'
                RETURNING\s""" + COLUMNS)
                .param("id", id)
                .param("now", Timestamp.from(now))
                .query(AttachmentRepository::row)
                .optional();
    }

    Optional<Row> fail(UUID id, String reason, Instant now) {
        return jdbc.sql("""
                UPDATE message_attachments
                SET upload_status = 'failed', failure_reason = :reason, deleted_at = COALESCE(deleted_at, :now),
                    deleted_reason = COALESCE(deleted_reason, 'invalid')
                WHERE attachment_id = :id AND upload_status IN ('uploading', 'processing')
                RETURNING\s""" + COLUMNS)
                .param("id", id)
                .param("reason", reason)
                .param("now", Timestamp.from(now))
                .query(AttachmentRepository::row)
                .optional();
    }

    /**
     * Ties the attachment to a message, once: only its uploader's, only while no message has it. Runs in the
     * send's transaction, so a send that fails later leaves the attachment free.
     */
    boolean claim(UUID id, UUID uploader, UUID messageId, UUID conversationId) {
        return jdbc.sql("""
                UPDATE message_attachments SET message_id = :mid, conversation_id = :cid
                WHERE attachment_id = :id AND uploader_id = :uploader AND message_id IS NULL
                  AND upload_status IN ('processing', 'completed') AND deleted_at IS NULL""")
                        .param("id", id)
                        .param("uploader", uploader)
                        .param("mid", messageId)
                        .param("cid", conversationId)
                        .update()
                == 1;
    }

    /** Marks a deleted message's attachments removed; returns their objects for deletion. */
    List<Doomed> forgetMessage(UUID messageId, Instant now) {
        return jdbc.sql("""
                UPDATE message_attachments SET deleted_at = :now, deleted_reason = 'message_deleted'
                WHERE message_id = :mid AND deleted_at IS NULL
                RETURNING attachment_id, storage_key, thumbnail_key, mime_type""")
                .param("mid", messageId)
                .param("now", Timestamp.from(now))
                .query(AttachmentRepository::doomed)
                .list();
    }

    /** Marks the attachments of these messages removed, for {@code reason} ('expired' or 'retention'). */
    List<Doomed> forgetMessages(Collection<UUID> messageIds, String reason, Instant now) {
        return jdbc.sql("""
                UPDATE message_attachments SET deleted_at = :now, deleted_reason = :reason
                WHERE message_id = ANY(:ids) AND deleted_at IS NULL
                RETURNING attachment_id, storage_key, thumbnail_key, mime_type""")
                .param("ids", messageIds.toArray(UUID[]::new))
                .param("reason", reason)
                .param("now", Timestamp.from(now))
                .query(AttachmentRepository::doomed)
                .list();
    }

    /** Marks up to {@code limit} of the uploader's attachments removed (account erasure). */
    List<Doomed> forgetUploader(UUID uploaderId, Instant now, int limit) {
        return jdbc.sql("""
                UPDATE message_attachments SET deleted_at = :now, deleted_reason = 'account_deleted'
                WHERE attachment_id IN (SELECT attachment_id FROM message_attachments
                                        WHERE uploader_id = :uploader AND deleted_at IS NULL LIMIT :limit)
                RETURNING attachment_id, storage_key, thumbnail_key, mime_type""")
                .param("uploader", uploaderId)
                .param("now", Timestamp.from(now))
                .param("limit", limit)
                .query(AttachmentRepository::doomed)
                .list();
    }

    /** Marks up to {@code limit} attachments created before {@code cutoff} removed for retention. */
    List<Doomed> expire(Instant cutoff, Instant now, int limit) {
        return jdbc.sql("""
                UPDATE message_attachments SET deleted_at = :now, deleted_reason = 'retention'
                WHERE attachment_id IN (
                    SELECT attachment_id FROM message_attachments
                    WHERE created_at < :cutoff AND deleted_at IS NULL
                    ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                RETURNING attachment_id, storage_key, thumbnail_key, mime_type""")
                .param("cutoff", Timestamp.from(cutoff))
                .param("now", Timestamp.from(now))
                .param("limit", limit)
                .query(AttachmentRepository::doomed)
                .list();
    }

    /**
     * Marks up to {@code limit} uploads as abandoned that were never completed since before {@code cutoff}, or
     * whose processing never finished by then (its job gave up without recording it).
     */
    List<Doomed> abandon(Instant cutoff, Instant now, int limit) {
        return jdbc.sql("""
                UPDATE message_attachments
                SET deleted_at = :now, deleted_reason = 'abandoned',
                    failure_reason = CASE upload_status WHEN 'uploading' THEN 'The upload was never completed'
                                     ELSE 'The image could not be processed' END,
                    upload_status = 'failed'
                WHERE attachment_id IN (
                    SELECT attachment_id FROM message_attachments
                    WHERE upload_status IN ('uploading', 'processing') AND created_at < :cutoff AND deleted_at IS NULL
                    ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                RETURNING attachment_id, storage_key, thumbnail_key, mime_type""")
                .param("cutoff", Timestamp.from(cutoff))
                .param("now", Timestamp.from(now))
                .param("limit", limit)
                .query(AttachmentRepository::doomed)
                .list();
    }

    /** Whether {@code viewer} is an active participant of the conversation the attachment's message is in. */
    boolean visibleTo(UUID id, UUID viewer) {
        return jdbc.sql("""
                SELECT EXISTS (
                    SELECT 1 FROM message_attachments a
                    JOIN active_participants p ON p.conversation_id = a.conversation_id AND p.user_id = :viewer
                    WHERE a.attachment_id = :id AND a.message_id IS NOT NULL)""")
                .param("id", id)
                .param("viewer", viewer)
                .query(Boolean.class)
                .single();
    }

    private static Doomed doomed(ResultSet rs, int i) throws SQLException {
        return new Doomed(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4));
    }

    private static Row row(ResultSet rs, int i) throws SQLException {
        Timestamp deleted = rs.getTimestamp("deleted_at");
        return new Row(
                rs.getObject("attachment_id", UUID.class),
                rs.getObject("uploader_id", UUID.class),
                rs.getObject("message_id", UUID.class),
                rs.getObject("conversation_id", UUID.class),
                rs.getString("file_name"),
                rs.getLong("file_size"),
                rs.getString("mime_type"),
                (Integer) rs.getObject("width"),
                (Integer) rs.getObject("height"),
                rs.getString("storage_key"),
                rs.getString("thumbnail_key"),
                rs.getString("thumbnail_mime_type"),
                rs.getString("blurhash"),
                UploadStatus.of(rs.getString("upload_status")),
                rs.getString("failure_reason"),
                rs.getTimestamp("created_at").toInstant(),
                deleted == null ? null : deleted.toInstant());
    }
}
