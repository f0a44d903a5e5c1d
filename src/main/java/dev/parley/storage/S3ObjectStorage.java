package dev.parley.storage;

import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Objects in an S3 bucket (AWS, or any S3-compatible store through an endpoint override). Uploads are
 * pre-signed PUTs whose signature covers the content type and length; downloads are pre-signed GETs, or
 * CloudFront signed URLs when a CDN is configured.
 */
public class S3ObjectStorage implements ObjectStorage {

    /**
     * Signs reads for a CloudFront distribution in front of the bucket: a canned policy (one URL, one expiry)
     * signed with SHA1withRSA, in CloudFront's URL-safe Base64.
     */
    public record Cdn(String domain, String keyPairId, PrivateKey privateKey) {

        URI sign(String resource, Instant expires) {
            String policy = "{\"Statement\":[{\"Resource\":\"" + resource
                    + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":" + expires.getEpochSecond() + "}}}]}";
            try {
                Signature rsa = Signature.getInstance("SHA1withRSA");
                rsa.initSign(privateKey);
                rsa.update(policy.getBytes(StandardCharsets.UTF_8));
                String signature = Base64.getEncoder()
                        .encodeToString(rsa.sign())
                        .replace('+', '-')
                        .replace('=', '_')
                        .replace('/', '~');
                return URI.create(resource + "?Expires=" + expires.getEpochSecond() + "&Signature=" + signature
                        + "&Key-Pair-Id=" + keyPairId);
            } catch (GeneralSecurityException e) {
                throw new StorageUnavailableException("Cannot sign a CloudFront URL for " + resource, e);
            }
        }
    }

    /**
     * Server-side encryption of every object Parley stores or lets a client upload: none, SSE-S3 ({@code AES256})
     * or SSE-KMS ({@code aws:kms}, with {@code kmsKeyId}, or the bucket's AWS-managed key when null). Signed
     * uploads carry the header among their signed headers, so a client cannot store an object without it.
     */
    public record Encryption(
            @Nullable ServerSideEncryption algorithm,
            @Nullable String kmsKeyId) {

        public static final Encryption NONE = new Encryption(null, null);

        PutObjectRequest.Builder applyTo(PutObjectRequest.Builder put) {
            if (algorithm != null) {
                put.serverSideEncryption(algorithm);
                if (kmsKeyId != null) {
                    put.ssekmsKeyId(kmsKeyId);
                }
            }
            return put;
        }

        CopyObjectRequest.Builder applyTo(CopyObjectRequest.Builder copy) {
            if (algorithm != null) {
                copy.serverSideEncryption(algorithm);
                if (kmsKeyId != null) {
                    copy.ssekmsKeyId(kmsKeyId);
                }
            }
            return copy;
        }
    }

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final Cdn cdn;
    private final Encryption encryption;
    private final Clock clock;

    public S3ObjectStorage(
            S3Client s3, S3Presigner presigner, String bucket, Cdn cdn, Encryption encryption, Clock clock) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.cdn = cdn;
        this.encryption = encryption;
        this.clock = clock;
    }

    @Override
    public SignedRequest signUpload(String key, String contentType, long contentLength, Duration ttl) {
        var put = encryption
                .applyTo(PutObjectRequest.builder()
                        .bucket(bucket)
                        .key(key)
                        .contentType(contentType)
                        .contentLength(contentLength))
                .build();
        PresignedPutObjectRequest signed;
        try {
            // Signing is local, but it resolves credentials, which can fail (an instance role unreachable, say).
            signed = presigner.presignPutObject(p -> p.signatureDuration(ttl).putObjectRequest(put));
        } catch (SdkException e) {
            throw unavailable("sign an upload of", key, e);
        }
        // Host is implied by the URL; the rest of the signed headers must be sent as they were signed.
        Map<String, String> headers = new LinkedHashMap<>();
        signed.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                headers.put(canonical(name), String.join(",", values));
            }
        });
        headers.putIfAbsent("Content-Type", contentType);
        return new SignedRequest(toUri(signed.url()), "PUT", headers, signed.expiration());
    }

    @Override
    public SignedRequest signDownload(String key, String contentType, Duration ttl) {
        if (cdn != null) {
            Instant expires = clock.instant().plus(ttl).truncatedTo(ChronoUnit.SECONDS);
            return new SignedRequest(
                    cdn.sign("https://" + cdn.domain() + "/" + key, expires), "GET", Map.of(), expires);
        }
        var get = GetObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .responseContentType(contentType)
                .build();
        try {
            var signed =
                    presigner.presignGetObject(p -> p.signatureDuration(ttl).getObjectRequest(get));
            return new SignedRequest(toUri(signed.url()), "GET", Map.of(), signed.expiration());
        } catch (SdkException e) {
            throw unavailable("sign a download of", key, e);
        }
    }

    @Override
    public Optional<Long> size(String key) {
        try {
            return Optional.of(s3.headObject(
                            HeadObjectRequest.builder().bucket(bucket).key(key).build())
                    .contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw unavailable("read", key, e);
        } catch (SdkException e) {
            throw unavailable("read", key, e);
        }
    }

    @Override
    public Optional<InputStream> open(String key) {
        try {
            return Optional.of(s3.getObject(
                    GetObjectRequest.builder().bucket(bucket).key(key).build()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw unavailable("read", key, e);
        }
    }

    @Override
    public void put(String key, Path file, String contentType) {
        try {
            s3.putObject(
                    encryption
                            .applyTo(PutObjectRequest.builder()
                                    .bucket(bucket)
                                    .key(key)
                                    .contentType(contentType))
                            .build(),
                    RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw unavailable("store", key, e);
        }
    }

    /** A server-side copy, then the source's deletion: S3 has no rename. The copy is of one version, atomically. */
    @Override
    public boolean move(String from, String to) {
        try {
            s3.copyObject(c -> encryption.applyTo(c.sourceBucket(bucket)
                    .sourceKey(from)
                    .destinationBucket(bucket)
                    .destinationKey(to)));
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw unavailable("copy", from, e);
        } catch (SdkException e) {
            throw unavailable("copy", from, e);
        }
        delete(from);
        return true;
    }

    @Override
    public List<StoredObject> list(String prefix, String startAfter, int limit) {
        try {
            return s3
                    .listObjectsV2(l -> l.bucket(bucket)
                            .prefix(prefix)
                            .startAfter(startAfter)
                            .maxKeys(limit))
                    .contents()
                    .stream()
                    .map(object -> new StoredObject(object.key(), object.size(), object.lastModified()))
                    .toList();
        } catch (SdkException e) {
            throw unavailable("list", prefix, e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(d -> d.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw unavailable("delete", key, e);
        }
    }

    @Override
    public void check() {
        try {
            s3.headBucket(h -> h.bucket(bucket));
        } catch (SdkException e) {
            throw new StorageUnavailableException("Bucket " + bucket + " is not reachable", e);
        }
    }

    private static StorageUnavailableException unavailable(String what, String key, Exception cause) {
        return new StorageUnavailableException("Cannot " + what + " " + key + ": " + cause.getMessage(), cause);
    }

    private static URI toUri(URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("The SDK signed an invalid URL", e);
        }
    }

    /** {@code content-type} → {@code Content-Type}, as clients usually spell headers. */
    private static String canonical(String header) {
        StringBuilder out = new StringBuilder(header.length());
        boolean upper = true;
        for (char c : header.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '-';
        }
        return out.toString();
    }
}
