package dev.parley.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Server-side encryption settings: a signed upload carries the SSE headers among its signed headers, so the client
 * must send them and S3 stores the object encrypted (presigning is local: no store needed here).
 */
class S3EncryptionTest {

    private static SignedRequest upload(StorageProperties.S3 settings) {
        S3Presigner presigner = S3Presigner.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("id", "secret")))
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .build();
        S3ObjectStorage storage =
                new S3ObjectStorage(null, presigner, "bucket", null, settings.encryption(), Clock.systemUTC());
        return storage.signUpload("quarantine/x", "image/png", 10, Duration.ofMinutes(5));
    }

    private static StorageProperties.S3 settings(String sse, String keyId) {
        return new StorageProperties.S3(
                "bucket", "us-east-1", null, false, null, null, false, null, null, null, sse, keyId);
    }

    @Test
    void sseKmsWithAKeyIdIsSignedIntoUploads() {
        SignedRequest signed = upload(settings("kms", "arn:aws:kms:us-east-1:111122223333:key/abc"));
        assertThat(signed.headers())
                .containsEntry("X-Amz-Server-Side-Encryption", "aws:kms")
                .containsEntry(
                        "X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", "arn:aws:kms:us-east-1:111122223333:key/abc");
        assertThat(signed.url().getQuery()).contains("x-amz-server-side-encryption");
    }

    @Test
    void sseS3AndNone() {
        assertThat(upload(settings("s3", null)).headers()).containsEntry("X-Amz-Server-Side-Encryption", "AES256");
        assertThat(upload(settings("none", null)).headers().keySet())
                .noneMatch(h -> h.toLowerCase().contains("server-side-encryption"));
        assertThatThrownBy(() -> settings("aes", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings("s3", "key")).isInstanceOf(IllegalArgumentException.class);
    }
}
