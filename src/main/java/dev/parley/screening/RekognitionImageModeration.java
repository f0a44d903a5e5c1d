package dev.parley.screening;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.RekognitionClientBuilder;
import software.amazon.awssdk.services.rekognition.model.DetectModerationLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.InvalidImageFormatException;
import software.amazon.awssdk.services.rekognition.model.ModerationLabel;

/**
 * AWS Rekognition {@code DetectModerationLabels}, through the AWS SDK. The image goes as bytes (at most 5 MB, the
 * API's limit; a larger original is judged by its thumbnail). A label at or above {@code min-confidence} flags the
 * image when it, or its parent category, is among {@code labels} (case-insensitive; empty: any label flags it).
 */
final class RekognitionImageModeration implements ImageModeration, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RekognitionImageModeration.class);
    static final long MAX_BYTES = 5L * 1024 * 1024;

    private final RekognitionClient client;
    private final ScreeningProperties.Image config;
    private final Set<String> labels;
    private final ScreeningMetrics metrics;

    RekognitionImageModeration(ScreeningProperties.Image config, ScreeningMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.labels = config.labels().stream()
                .map(label -> label.strip().toLowerCase(Locale.ROOT))
                .filter(label -> !label.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        AwsCredentialsProvider credentials =
                config.accessKeyId() == null || config.accessKeyId().isBlank()
                        ? DefaultCredentialsProvider.builder().build()
                        : StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey()));
        RekognitionClientBuilder builder = RekognitionClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .overrideConfiguration(
                        o -> o.apiCallTimeout(Duration.ofSeconds(15)).apiCallAttemptTimeout(Duration.ofSeconds(5)));
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        this.client = builder.build();
        log.info(
                "image_moderation provider=rekognition region={} endpoint={} min_confidence={} labels={}",
                config.region(),
                config.endpoint(),
                config.minConfidence(),
                labels);
    }

    @Override
    public Verdict check(Image image) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(image.originalSize() <= MAX_BYTES ? image.original() : image.thumbnail());
        } catch (IOException e) {
            throw new Unavailable("The image could not be read for moderation", e);
        }
        DetectModerationLabelsResponse response;
        try {
            response = client.detectModerationLabels(request ->
                    request.image(i -> i.bytes(SdkBytes.fromByteArray(bytes))).minConfidence(config.minConfidence()));
        } catch (InvalidImageFormatException e) {
            // Our own processed image, refused as a format: nothing to retry, and nothing checked.
            throw new Unavailable("Rekognition refused the image format", e);
        } catch (SdkException e) {
            throw new Unavailable("Rekognition is unavailable: " + e.getMessage(), e);
        }
        List<String> flagged = response.moderationLabels().stream()
                .filter(label -> label.confidence() == null || label.confidence() >= config.minConfidence())
                .filter(this::counts)
                .map(ModerationLabel::name)
                .distinct()
                .toList();
        metrics.decided("image", flagged.isEmpty() ? "allow" : "reject");
        return flagged.isEmpty() ? Verdict.ALLOW : new Verdict(true, flagged);
    }

    private boolean counts(ModerationLabel label) {
        if (labels.isEmpty()) {
            return true;
        }
        return (label.name() != null && labels.contains(label.name().toLowerCase(Locale.ROOT)))
                || (label.parentName() != null
                        && labels.contains(label.parentName().toLowerCase(Locale.ROOT)));
    }

    @Override
    public boolean failOpen() {
        return config.onFailure() == ScreeningProperties.OnFailure.ALLOW;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void close() {
        client.close();
    }
}
