package dev.parley.storage;

import dev.parley.common.DataProperties;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Picks the object store from {@code parley.storage.type}; the embedded default needs no settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
class StorageConfig {

    private static final Logger log = LoggerFactory.getLogger(StorageConfig.class);

    @Bean
    ObjectStorage objectStorage(
            StorageProperties properties, DataProperties data, Environment environment, Clock clock) {
        return switch (properties.type()) {
            case "local" -> local(properties.local(), data, environment, clock);
            case "s3" -> s3(properties.s3(), clock);
            default ->
                throw new IllegalStateException("parley.storage.type must be local or s3, not " + properties.type());
        };
    }

    private static LocalObjectStorage local(
            StorageProperties.Local local, DataProperties data, Environment environment, Clock clock) {
        var dir = local.dir() != null ? local.dir() : data.dataDir().resolve("objects");
        Supplier<URI> publicUrl = local.publicUrl() != null
                ? local::publicUrl
                : () -> URI.create("http://localhost:"
                        + environment.getProperty("local.server.port", environment.getProperty("server.port", "8080")));
        log.info(
                "Attachments are kept in {} and served by this server under /storage/ ({})",
                dir.toAbsolutePath(),
                local.publicUrl() != null
                        ? local.publicUrl()
                        : "http://localhost:<port>; set parley.storage.local.public-url");
        return new LocalObjectStorage(dir, publicUrl, local.signingKey(), clock);
    }

    private static S3ObjectStorage s3(StorageProperties.S3 s3, Clock clock) {
        if (s3.bucket() == null || s3.bucket().isBlank()) {
            throw new IllegalStateException("parley.storage.s3.bucket is required with parley.storage.type=s3");
        }
        AwsCredentialsProvider credentials =
                s3.accessKey() != null && !s3.accessKey().isBlank()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()))
                        : DefaultCredentialsProvider.builder().build();
        Region region = Region.of(s3.region());
        S3Configuration service =
                S3Configuration.builder().pathStyleAccessEnabled(s3.pathStyle()).build();
        var clientBuilder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(service)
                // Checksums only where S3 requires them: many S3-compatible stores reject the newer defaults.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        var presignerBuilder = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(service);
        if (s3.endpoint() != null) {
            clientBuilder.endpointOverride(s3.endpoint());
            presignerBuilder.endpointOverride(s3.endpoint());
        }
        S3Client client = clientBuilder.build();
        if (s3.createBucket()) {
            createBucket(client, s3.bucket());
        }
        S3ObjectStorage.Cdn cdn = null;
        if (s3.cdnDomain() != null && !s3.cdnDomain().isBlank()) {
            cdn = new S3ObjectStorage.Cdn(s3.cdnDomain(), s3.cdnKeyPairId(), privateKey(s3));
        }
        log.info(
                "Attachments are kept in S3 bucket {}{}",
                s3.bucket(),
                s3.endpoint() == null ? "" : " at " + s3.endpoint());
        if (s3.encryption().algorithm() != null) {
            log.info(
                    "Objects are stored with server-side encryption {}{}",
                    s3.encryption().algorithm(),
                    s3.encryption().kmsKeyId() == null
                            ? ""
                            : " (KMS key " + s3.encryption().kmsKeyId() + ")");
        }
        return new S3ObjectStorage(client, presignerBuilder.build(), s3.bucket(), cdn, s3.encryption(), clock);
    }

    private static void createBucket(S3Client client, String bucket) {
        try {
            client.headBucket(h -> h.bucket(bucket));
        } catch (NoSuchBucketException e) {
            client.createBucket(c -> c.bucket(bucket));
            log.info("Created bucket {}", bucket);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            client.createBucket(c -> c.bucket(bucket));
            log.info("Created bucket {}", bucket);
        }
    }

    /** The CloudFront key: a PKCS#8 PEM file ({@code openssl pkcs8 -topk8 -nocrypt}). */
    private static PrivateKey privateKey(StorageProperties.S3 s3) {
        if (s3.cdnKeyPairId() == null || s3.cdnPrivateKey() == null) {
            throw new IllegalStateException(
                    "parley.storage.s3.cdn-domain needs cdn-key-pair-id and cdn-private-key to sign URLs");
        }
        try {
            String pem = Files.readString(s3.cdnPrivateKey())
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                    .replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot read the CloudFront private key " + s3.cdnPrivateKey(), e);
        }
    }
}
