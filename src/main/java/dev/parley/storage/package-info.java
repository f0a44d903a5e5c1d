/**
 * Object storage for attachment bytes behind {@link dev.parley.storage.ObjectStorage}: S3 or any S3-compatible
 * store (AWS SDK v2 pre-signed PUT and GET, or CloudFront signed URLs), or a local folder whose HMAC-signed URLs
 * Parley serves itself under {@code /storage/} with S3's rules. Clients never stream bytes through the API. Owns
 * {@code parley.storage.*}; knows nothing of what keys mean: the local store asks an
 * {@link dev.parley.storage.UploadGate} (implemented by attachment) before it accepts a PUT.
 *
 * <p>May call: {@code common} only. Called by attachment and config (the health check).
 */
package dev.parley.storage;
