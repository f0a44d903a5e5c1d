package dev.parley.attachment;

import java.util.UUID;

/**
 * Published inside the transaction that finished an attachment's processing (or refused it), with the attachment
 * as it now is, fresh signed URLs included. {@code messageId} is null while no message uses it. The message feature
 * turns it into its own event for the conversation without asking this feature again: the image's way runs
 * attachment → message → realtime, once each.
 */
public record AttachmentProcessed(UUID messageId, AttachmentView attachment) {}
