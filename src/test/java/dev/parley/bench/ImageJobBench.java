package dev.parley.bench;

import com.sun.management.ThreadMXBean;
import dev.parley.attachment.image.ImageFormat;
import dev.parley.attachment.image.ImageLimits;
import dev.parley.attachment.image.ImagePipeline;
import dev.parley.attachment.image.ProcessedImage;
import dev.parley.attachment.image.TestImages;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time and memory of the costliest image job issue 8 names: a 16-bit RGBA PNG of 6324x6324 pixels with an ICC
 * profile, small on the wire. Runs {@link ImagePipeline#process} (what the image job runs) in this JVM, one at a
 * time, and reports per job the wall time, the bytes the job's thread allocated, and the peak heap in use above the
 * idle baseline, sampled every millisecond by another thread; and the job's memory as the header estimates it (what
 * the decode budget reserves). No server.
 */
final class ImageJobBench {

    private static final int SIDE = 6324;
    private static final int ROUNDS = 3;

    /**
     * The same benchmark on the code before issue 8's changes (commit 97c8e5f, the process() of then), run just
     * before the figures above on the same machine.
     */
    private static final String BEFORE = """
            Before (commit 97c8e5f: 16-bit samples decoded, converted and written as they came), run just before
            on the same machine under the same load:

            | before, job | wall time | allocated | peak heap |
            |---:|---:|---:|---:|
            | 1 | 9.49 s | 814 MB | 819 MB |
            | 2 | 10.09 s | 814 MB | 818 MB |
            | 3 | 8.22 s | 814 MB | 819 MB |

            The job now allocates and holds about 36% less: the 16-bit image is let go once its 8-bit copy is
            made, and the colour conversion works in place instead of into a third copy. The time barely moves:
            most of it is the JDK's decoding of 320 MB of 16-bit samples, the colour conversion and the PNG
            encoder, all still there. The time limit (`parley.attachments.job-timeout`) and the memory budget,
            not a faster job, are what keep such an image from holding a node.
            """;

    private record Run(long wallNanos, long allocated, long peakHeap) {}

    private ImageJobBench() {}

    static void run(Bench.Context ctx) throws Exception {
        Path dir = ctx.workDir().resolve("imagejob");
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Path source = dir.resolve("png16-" + SIDE + ".png");
        if (!Files.exists(source)) {
            Files.write(source, TestImages.png16WithProfile(SIDE, SIDE));
        }
        ImagePipeline pipeline = new ImagePipeline(ImageLimits.defaults());
        long estimate = pipeline.inspect(source, ImageFormat.PNG).workingBytes();
        System.out.println("Header estimate: " + (estimate >> 20) + " MB; warm-up: one job");
        measure(pipeline, source, out);
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            Run run = measure(pipeline, source, out);
            System.out.printf(
                    "job %d: %.2f s, allocated %d MB, peak heap +%d MB%n",
                    i + 1, run.wallNanos() / 1e9, run.allocated() >> 20, run.peakHeap() >> 20);
            runs.add(run);
        }
        ctx.report(report(ctx, runs, Files.size(source), estimate));
    }

    private static Run measure(ImagePipeline pipeline, Path source, Path out) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(baseline);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (running.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        ProcessedImage result = pipeline.process(source, ImageFormat.PNG, out);
        long wall = System.nanoTime() - start;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        running.set(false);
        sampler.join();
        Files.delete(result.original());
        Files.delete(result.thumbnail());
        return new Run(wall, allocated, peak.get() - baseline);
    }

    private static String report(Bench.Context ctx, List<Run> runs, long fileSize, long estimate) {
        StringBuilder md = new StringBuilder();
        md.append("## imagejob: the costliest image job, time and memory\n\n");
        md.append(String.format("""
                A %dx%d 16-bit RGBA PNG with an ICC profile (linear RGB), 64x64 blocks of colour: %d kB on the
                wire, %.0f MB as 16-bit pixels. Each job is one `ImagePipeline.process` call, as the image job runs
                it: decode, colours to 8-bit sRGB, re-encode, thumbnail, BlurHash. One job at a time after one
                warm-up job; allocation is what the job's thread allocated, peak heap the most heap in use above the
                idle baseline (sampled every millisecond; it includes garbage not yet collected). The header
                estimate, which the node's decode budget reserves for the job, is %d MB.

                | job | wall time | allocated | peak heap |
                |---:|---:|---:|---:|
                """, SIDE, SIDE, fileSize / 1024, SIDE * (double) SIDE * 8 / 1e6, estimate >> 20));
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            md.append(String.format(
                    "| %d | %.2f s | %d MB | %d MB |%n",
                    i + 1, run.wallNanos() / 1e9, run.allocated() >> 20, run.peakHeap() >> 20));
        }
        md.append('\n').append(BEFORE).append('\n');
        md.append(ctx.machine("benchmark JVM -Xmx2g, no server; " + runs.size() + " measured jobs"));
        return md.toString();
    }
}
