package dev.parley.storage;

import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
     * {@code cdn-key-pair-id} and the PEM private key at {@code cdn-private-key}.
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
            Path cdnPrivateKey) {}
}
