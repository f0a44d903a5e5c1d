/**
 * Image attachments: the upload ticket (a signed PUT straight to object storage, into {@code quarantine/}),
 * completion (size and header checked, moved to a key no URL was signed for), the image job on the persistent
 * queue (one per uploader at a time, within the node's decode-memory budget and a time limit), retention,
 * abandoned uploads and the quarantine sweep, and signed read URLs minted per read. Owns the table
 * {@code message_attachments} (including the one link to the message that claimed it), {@code parley.attachments.*},
 * and announces {@link dev.parley.attachment.AttachmentProcessed} in the job's transaction.
 *
 * <p>May call: {@code storage}, {@code moderation} (images per hour), {@code common}, and its own
 * {@code attachment.image}. Called by message (claiming an image in the send's transaction, metadata for views).
 */
package dev.parley.attachment;
