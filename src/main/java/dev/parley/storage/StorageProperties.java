package dev.parley.storage;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * {@code parley.storage.*}: which object store holds attachments. {@code type} is {@code local} (the default: a
 * folder under the data directory, with URLs signed and served by Parley) or {@code s3}.
 */
@ConfigurationProperties("parley.storage")
public record StorageProperties(
        @DefaultValue("local") String type,
        @DefaultValue Local local,
        @DefaultValue S3 s3) {

    /**
     * {@code dir}: where objects are kept (default {@code <data-dir>/objects}). {@code public-url}: the base URL
     * clients reach this server at, for the signed URLs (default {@code http://localhost:<server.port>}).
     * {@code signing-key}: the HMAC key for those URLs; every node must share it. When unset, a random key is
     * created once and kept in the storage folder.
     */
    public record Local(Path dir, URI publicUrl, String signingKey) {}

    /**
     * {@code endpoint} and {@code path-style} are for S3-compatible stores (MinIO, Ceph, s3proxy). Credentials
     * come from the AWS default chain unless {@code access-key}/{@code secret-key} are set. With
     * {@code cdn-domain}, downloads are CloudFront signed URLs (canned policy) made with
     * {@code cdn-key-pair-id} and the PEM private key at {@code cdn-private-key}. {@code sse}: server-side
     * encryption of stored objects, {@code none} (default), {@code s3} (SSE-S3, AES-256 keys S3 manages) or
     * {@code kms} (SSE-KMS, with the key {@code kms-key-id}, or the account's AWS-managed key when unset).
     */
    public record S3(
            String bucket,
            @DefaultValue("us-east-1") String region,
            URI endpoint,
            @DefaultValue("false") boolean pathStyle,
            String accessKey,
            String secretKey,
            @DefaultValue("false") boolean createBucket,
            String cdnDomain,
            String cdnKeyPairId,
            Path cdnPrivateKey,
            @DefaultValue("none") String sse,
            String kmsKeyId) {

        public S3 {
            if (!List.of("none", "s3", "kms").contains(sse)) {
                throw new IllegalArgumentException("parley.storage.s3.sse must be none, s3 or kms");
            }
            if (kmsKeyId != null && !kmsKeyId.isBlank() && !"kms".equals(sse)) {
                throw new IllegalArgumentException("parley.storage.s3.kms-key-id needs parley.storage.s3.sse=kms");
            }
        }

        /** The server-side encryption these settings ask for. */
        public S3ObjectStorage.Encryption encryption() {
            return switch (sse) {
                case "s3" -> new S3ObjectStorage.Encryption(ServerSideEncryption.AES256, null);
                case "kms" ->
                    new S3ObjectStorage.Encryption(
                            ServerSideEncryption.AWS_KMS, kmsKeyId == null || kmsKeyId.isBlank() ? null : kmsKeyId);
                default -> S3ObjectStorage.Encryption.NONE;
            };
        }
    }
}
