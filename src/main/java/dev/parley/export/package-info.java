/**
 * Data exports: a user's own data as a ZIP (profile, conversations, every message they sent, their reactions and
 * receipts, their contacts and contact requests, the original files of their images), built in the background
 * into object storage and handed to its owner only, through a short-lived signed URL, until
 * {@code parley.exports.keep} has passed. The format is documented in docs/export-format.md.
 *
 * <p><b>Owns</b> the table {@code exports} (V14). Reads, never writes, the tables of the user's data (users,
 * conversations and participants, messages, reactions, receipts, attachments) in {@link ExportSource}; the
 * contacts through {@code ContactService}'s listing, since the contact module alone derives a pair's status.
 *
 * <p><b>May call:</b> {@code common}, {@code storage}, {@code audit}, {@code user}, {@code contact}.
 */
package dev.parley.export;
