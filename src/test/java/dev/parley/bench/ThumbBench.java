package dev.parley.bench;

import dev.parley.attachment.image.ImageFormat;
import dev.parley.attachment.image.ImageLimits;
import dev.parley.attachment.image.ImagePipeline;
import dev.parley.attachment.image.ProcessedImage;
import dev.parley.attachment.image.TestImages;
import dev.parley.attachment.image.Thumbnail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Thumbnails per second for 12-megapixel JPEGs through {@link ImagePipeline}, and the same files through libvips'
 * {@code vipsthumbnail} in the same run (issue 4: aim within 2x of libvips). No server: the pipeline is pure Java.
 * Java runs on T platform threads; libvips as T processes with {@code VIPS_CONCURRENCY=1}, each given its share of
 * the files in one invocation, so process start-up is paid once per process, not per image.
 */
final class ThumbBench {

    private static final int WIDTH = 4000;
    private static final int HEIGHT = 3000;
    private static final int[] THREADS = {1, 2};
    private static final String BASELINE = "";
    private static final String PROGRESSIVE = ", progressive JPEG";

    /** One measured run; {@code cpuNanos} is all CPU the run used (Java: this JVM; libvips: its processes). */
    private record Run(String path, int threads, int images, Latencies latencies, long wallNanos, long cpuNanos) {

        double perSecond() {
            return images / (wallNanos / 1e9);
        }

        double cpuMillisPerImage() {
            return cpuNanos / 1e6 / images;
        }
    }

    private ThumbBench() {
    }

    static void run(Bench.Context ctx) throws Exception {
        int files = ctx.intOpt("bench.thumbFiles");
        int rounds = ctx.intOpt("bench.thumbRounds");
        Path dir = ctx.workDir().resolve("thumbs");
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        List<Path> sources = generate(dir, files, false);
        List<Path> progressive = generate(dir, files, true);
        ImagePipeline pipeline = new ImagePipeline(ImageLimits.defaults());
        String vips = vipsVersion();

        System.out.println("Warm-up: " + 3 * files + " thumbnails, " + files + " full process() calls");
        measureJava(pipeline, sources, out, 3, 1, false, BASELINE);
        measureJava(pipeline, sources, out, 1, 1, true, BASELINE);

        List<Run> runs = new ArrayList<>();
        for (int threads : THREADS) {
            runs.add(print(measureJava(pipeline, sources, out, rounds, threads, false, BASELINE)));
            if (vips != null) {
                runs.add(print(measureVips(sources, out, rounds, threads, BASELINE)));
            }
        }
        int fewer = Math.max(1, rounds / 3);
        runs.add(print(measureJava(pipeline, progressive, out, fewer, 1, false, PROGRESSIVE)));
        if (vips != null) {
            runs.add(print(measureVips(progressive, out, fewer, 1, PROGRESSIVE)));
        }
        for (int threads : THREADS) {
            runs.add(print(measureJava(pipeline, sources, out, fewer, threads, true, BASELINE)));
        }
        ctx.report(report(ctx, runs, sources, vips, rounds));
    }

    private static Run print(Run run) {
        System.out.printf("%-40s threads=%d images=%d %.2f/s cpu %.1f ms/image %s%n", run.path(), run.threads(),
                run.images(), run.perSecond(), run.cpuMillisPerImage(), run.latencies().summary());
        return run;
    }

    /** Photo-like 4000x3000 JPEGs at quality 0.9, 4:2:0, baseline (as cameras write them) or progressive. */
    private static List<Path> generate(Path dir, int count, boolean progressive) throws Exception {
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path file = dir.resolve((progressive ? "progressive-" : "photo-") + i + ".jpg");
            if (!Files.exists(file)) {
                Files.write(file, TestImages.jpeg(TestImages.photo(WIDTH, HEIGHT, 1000 + i), 2, 2, 0, progressive));
            }
            sources.add(file);
        }
        return sources;
    }

    private static Run measureJava(ImagePipeline pipeline, List<Path> sources, Path out, int rounds, int threads,
            boolean full, String variant) throws Exception {
        Latencies latencies = new Latencies();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                for (Path source : sources) {
                    tasks.add(pool.submit(() -> {
                        long t0 = System.nanoTime();
                        if (full) {
                            ProcessedImage result = pipeline.process(source, ImageFormat.JPEG, out);
                            latencies.record(System.nanoTime() - t0);
                            Files.delete(result.original());
                            Files.delete(result.thumbnail());
                        } else {
                            Thumbnail thumbnail = pipeline.thumbnail(source, ImageFormat.JPEG, out);
                            latencies.record(System.nanoTime() - t0);
                            Files.delete(thumbnail.file());
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> task : tasks) {
                task.get();
            }
            long wall = System.nanoTime() - start;
            cpu = processCpuNanos() - cpu;
            String path = (full ? "ImagePipeline.process (full)" : "ImagePipeline.thumbnail") + variant;
            return new Run(path, threads, tasks.size(), latencies, wall, cpu);
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /** T vipsthumbnail processes in parallel, each with every T-th image of the whole list, one thread each. */
    private static Run measureVips(List<Path> sources, Path out, int rounds, int threads, String variant)
            throws Exception {
        List<List<String>> shares = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<String> command = new ArrayList<>(List.of("vipsthumbnail", "-s", "200x200", "-o",
                    out.toAbsolutePath() + "/%s-vips.jpg[Q=85]"));
            shares.add(command);
        }
        int images = 0;
        for (int r = 0; r < rounds; r++) {
            for (Path source : sources) {
                shares.get(images++ % threads).add(source.toAbsolutePath().toString());
            }
        }
        Latencies perImage = new Latencies();
        long cpu = childrenCpuNanos();
        long start = System.nanoTime();
        List<Process> processes = new ArrayList<>();
        for (List<String> command : shares) {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().put("VIPS_CONCURRENCY", "1");
            processes.add(builder.start());
        }
        for (Process process : processes) {
            if (process.waitFor() != 0) {
                throw new IllegalStateException("vipsthumbnail failed with exit code " + process.exitValue());
            }
        }
        long wall = System.nanoTime() - start;
        cpu = childrenCpuNanos() - cpu;
        // Per-image latency of a batch is not observable from outside; record the batch mean for each image.
        for (int i = 0; i < images; i++) {
            perImage.record(wall * threads / images);
        }
        return new Run("vipsthumbnail" + variant, threads, images, perImage, wall, cpu);
    }

    /** CPU time of this JVM, all threads (JIT and GC included). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * CPU time of this JVM's finished and reaped child processes: cutime + cstime of /proc/self/stat, in clock
     * ticks of 10 ms (USER_HZ is 100 on Linux). CPU time, unlike wall time, does not grow when other work on a
     * shared machine takes turns on the cores.
     */
    private static long childrenCpuNanos() throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10_000_000L;
    }

    /** libvips' version, or null when vipsthumbnail is not installed. */
    private static String vipsVersion() {
        try {
            Process p = new ProcessBuilder("vipsthumbnail", "--vips-version").redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? version : null;
        } catch (Exception e) {
            System.out.println("vipsthumbnail is not installed (apt-get install libvips-tools): no libvips figures, "
                    + "no ratio.");
            return null;
        }
    }

    private static String report(Bench.Context ctx, List<Run> runs, List<Path> sources, String vips, int rounds)
            throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("## thumbs: thumbnails of 12-megapixel JPEGs, ImagePipeline against libvips\n\n");
        md.append(String.format("""
                %d photo-like %dx%d JPEGs (gradients, discs and per-pixel noise; ImageIO quality 0.9, 4:2:0,
                baseline; %.1f MB on average), each thumbnailed %d times to fit 200x200.

                - `ImagePipeline.thumbnail` decodes baseline JPEGs at 1/8 scale from their DC coefficients (Huffman
                  decoding of every coefficient, no inverse DCT), halves with bilinear averaging, writes a JPEG
                  (quality 0.85) and computes the BlurHash.
                - `vipsthumbnail -s 200x200` (shrink-on-load in libjpeg-turbo) writes a JPEG (Q=85), no BlurHash. It
                  runs as one process per Java thread with `VIPS_CONCURRENCY=1`, each given its share of all the
                  files in one invocation (start-up paid once per process).
                - The progressive rows use progressive copies of the same photos (ImageIO's default scan script):
                  the DC decoder reads only the first scan, which holds every DC coefficient; libjpeg decodes all.
                - `process()` is the whole job: full decode (ImageIO), re-encoded original (quality 0.9), thumbnail,
                  BlurHash. Most of its CPU is the JDK's JPEG encoder on 12 MP.
                - CPU per image is all CPU of the benchmark JVM (JIT and GC included) or of the vipsthumbnail
                  processes, divided by the images. On this shared machine wall time also counts the turns other
                  work takes on the two cores; CPU time does not, so the CPU ratio is the steadier comparison.

                Aim: thumbnails within 2x of libvips.

                """, sources.size(), WIDTH, HEIGHT, averageSize(sources) / 1e6, rounds));
        md.append("| path | threads | images | median per image | images/s | CPU per image "
                + "| Java time / libvips time: wall, CPU |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Run run : runs) {
            String ratio = "";
            if (run.path().startsWith("ImagePipeline.thumbnail")) {
                String variant = run.path().substring("ImagePipeline.thumbnail".length());
                ratio = runs.stream().filter(v -> v.path().equals("vipsthumbnail" + variant)
                        && v.threads() == run.threads())
                        .findFirst().map(v -> String.format("%.2fx, %.2fx", v.perSecond() / run.perSecond(),
                                run.cpuMillisPerImage() / v.cpuMillisPerImage()))
                        .orElse("n/a (no vipsthumbnail)");
            }
            String median = run.path().startsWith("vipsthumbnail")
                    ? String.format("%.1f ms (batch mean)", run.latencies().quantile(0.5) / 1e6)
                    : String.format("%.1f ms", run.latencies().quantile(0.5) / 1e6);
            md.append(String.format("| %s | %d | %d | %s | %.2f | %.1f ms | %s |%n", run.path(), run.threads(),
                    run.images(), median, run.perSecond(), run.cpuMillisPerImage(), ratio));
        }
        md.append('\n');
        for (Run run : runs) {
            runs.stream().filter(v -> run.path().equals("ImagePipeline.thumbnail") && v.path().equals("vipsthumbnail")
                    && v.threads() == run.threads()).findFirst().ifPresent(v -> {
                        double wall = v.perSecond() / run.perSecond();
                        double cpu = run.cpuMillisPerImage() / v.cpuMillisPerImage();
                        md.append(String.format("Aim (baseline, threads=%d): %s: %.2fx the wall time and %.2fx the "
                                + "CPU time of libvips.%n", run.threads(), wall <= 2 && cpu <= 2 ? "met" : "NOT met",
                                wall, cpu));
                    });
        }
        md.append('\n');
        md.append(vips == null
                ? "vipsthumbnail was not installed: no libvips figures and no ratio in this run.\n\n"
                : "libvips: " + vips + " (Debian package libvips-tools).\n\n");
        md.append(ctx.machine(String.format("%d files x %d rounds; warm-up 3 rounds of thumbnails and 1 of "
                + "process() first; process() measured for %d round(s); Java threads = vipsthumbnail processes; "
                + "benchmark JVM -Xmx2g, no server", sources.size(), rounds, Math.max(1, rounds / 3))));
        return md.toString();
    }

    private static double averageSize(List<Path> sources) throws Exception {
        long total = 0;
        for (Path source : sources) {
            total += Files.size(source);
        }
        return (double) total / sources.size();
    }
}
