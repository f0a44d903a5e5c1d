package dev.parley.attachment;

import dev.parley.attachment.image.Cancellation;
import dev.parley.attachment.image.ImageFormat;
import dev.parley.attachment.image.ImageInfo;
import dev.parley.attachment.image.ImagePipeline;
import dev.parley.attachment.image.InvalidImageException;
import dev.parley.attachment.image.ProcessedImage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs the image pipeline within this node's limits: the decode-memory budget its jobs share, and each job's time
 * limit. The budget is counted from the header ({@link ImageInfo#workingBytes()}) before a pixel is decoded; a job
 * waits a little for its share, in arrival order, then gives its worker back to be run again shortly. A job past
 * its time is stopped by a watchdog, which aborts the decoder or encoder at work; its memory goes with its stack.
 */
@Component
class ImageJobLimits implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ImageJobLimits.class);

    /** How long a job waits for its share of the budget before giving its worker back. */
    private static final Duration BUDGET_WAIT = Duration.ofSeconds(2);

    private final ImagePipeline pipeline;
    private final Duration timeout;
    /** Permits are KiB, so that a budget of terabytes still fits an int. Fair: the first to wait is served first. */
    private final Semaphore budget;

    private final long capacityKib;
    private final ScheduledExecutorService watchdog;
    private final Counter timeouts;

    ImageJobLimits(ImagePipeline pipeline, AttachmentProperties properties, MeterRegistry registry) {
        this.pipeline = pipeline;
        this.timeout = properties.jobTimeout();
        this.capacityKib = Math.min(Integer.MAX_VALUE, properties.decodeMemoryBudgetBytes() / 1024);
        this.budget = new Semaphore((int) capacityKib, true);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("image-job-watchdog").daemon().factory());
        Gauge.builder(
                        "attachment.decode.memory.in.use",
                        budget,
                        free -> (capacityKib - free.availablePermits()) * 1024.0)
                .baseUnit("bytes")
                .description("Heap reserved by the image jobs running on this node")
                .register(registry);
        this.timeouts = Counter.builder("attachment.image.job.timeouts")
                .description("Image jobs stopped because they ran past parley.attachments.job-timeout")
                .register(registry);
    }

    /**
     * Processes {@code source} into {@code workDir}; empty when the budget had no room within a short wait (run the
     * job again a little later). Throws {@link InvalidImageException} for an image that is not acceptable, needs
     * more memory than the whole budget, or took longer than the time limit.
     */
    Optional<ProcessedImage> process(Path source, ImageFormat format, Path workDir) {
        ImageInfo info = pipeline.inspect(source, format);
        int kib = (int) Math.min(capacityKib, (info.workingBytes() + 1023) / 1024);
        try {
            if (!budget.tryAcquire(kib, BUDGET_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        Cancellation cancellation = new Cancellation();
        ScheduledFuture<?> stop = watchdog.schedule(cancellation::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        try {
            return Optional.of(pipeline.process(source, format, workDir, cancellation));
        } catch (CancellationException e) {
            timeouts.increment();
            log.warn(
                    "attachment_job_timeout width={} height={} working_bytes={} took_ms={}",
                    info.width(),
                    info.height(),
                    info.workingBytes(),
                    (System.nanoTime() - started) / 1_000_000);
            throw new InvalidImageException(
                    "Processing the image took longer than " + describe(timeout) + ", the limit; it was stopped.");
        } finally {
            stop.cancel(false);
            budget.release(kib);
        }
    }

    /**
     * How long a job may hold its uploader's turn: longer than any run that is still alive (the time limit, plus
     * downloads, the budget wait and storing), so an older mark is a job whose node died.
     */
    Duration longestRun() {
        return timeout.multipliedBy(4).plusMinutes(1);
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
