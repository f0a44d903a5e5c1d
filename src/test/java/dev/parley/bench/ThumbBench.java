package dev.parley.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.parley.attachment.image.ImageFormat;
import dev.parley.attachment.image.ImageLimits;
import dev.parley.attachment.image.ImagePipeline;
import dev.parley.attachment.image.ProcessedImage;
import dev.parley.attachment.image.TestImages;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The image job on 12-megapixel JPEGs, end to end, against libvips doing the same work in the same run (issue 13
 * item 5: aim within 2x of libvips). The job is {@link ImagePipeline#process}, what the image job runs: a cleaned
 * original (segments rewritten, pixels copied), a 200x200 thumbnail from the DC coefficients, a BlurHash. libvips
 * makes the thumbnail with {@code vipsthumbnail} and the metadata-stripped copy by decoding and encoding (it has
 * no lossless way). No server: the pipeline is pure Java. Java runs on T platform threads; libvips as T processes
 * with {@code VIPS_CONCURRENCY=1}, each given its share of the files in one invocation, so process start-up is
 * paid once per process, not per image; one row pays it per file, as a script calling {@code vips copy} would.
 */
final class ThumbBench {

    private static final int WIDTH = 4000;
    private static final int HEIGHT = 3000;
    private static final int[] THREADS = {1, 2};
    private static final String BASELINE = "";
    private static final String PROGRESSIVE = ", progressive";
    private static final String JOB = "Java: ImagePipeline.process";
    private static final String VIPS = "libvips: thumbnail + stripped copy";
    private static final String VIPS_THUMBNAIL = "libvips: vipsthumbnail alone";
    private static final String VIPS_PER_FILE = "libvips: vipsthumbnail + vips copy, a process per file";

    /**
     * The same files through the job before issue 13 item 5 (commit 2d1521e: full decode, orientation, re-encode
     * at quality 0.9, thumbnail from the decoded image), this benchmark run on that commit on the same machine.
     */
    private static final String BEFORE = """
            Before (commit 2d1521e, the job decoding and encoding every JPEG), one run of this benchmark on that
            commit on the same machine, 2026-12-07 02:50 UTC, load average 6.87 at start:

            | path | threads | images | median per image | images/s | CPU per image |
            |---|---:|---:|---:|---:|---:|
            %s

            libvips in that run: 132.5 ms CPU per image (one process), so the job took 3.45x its CPU time then.
            """;

    /** One measured run; {@code cpuNanos} is all CPU the run used (Java: this JVM; libvips: its processes). */
    private record Run(String path, int threads, int images, Latencies latencies, long wallNanos, long cpuNanos) {

        double perSecond() {
            return images / (wallNanos / 1e9);
        }

        double cpuMillisPerImage() {
            return cpuNanos / 1e6 / images;
        }

        boolean batchMean() {
            return path.startsWith(VIPS) || path.startsWith(VIPS_THUMBNAIL);
        }
    }

    private ThumbBench() {}

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

        System.out.println("Warm-up: " + 3 * files + " jobs");
        measureJava(pipeline, sources, out, 3, 1, BASELINE);

        List<Run> runs = new ArrayList<>();
        for (int threads : THREADS) {
            runs.add(print(measureJava(pipeline, sources, out, rounds, threads, BASELINE)));
            if (vips != null) {
                runs.add(print(measureVips(sources, out, rounds, threads, BASELINE, true)));
            }
        }
        int fewer = Math.max(1, rounds / 3);
        runs.add(print(measureJava(pipeline, progressive, out, fewer, 1, PROGRESSIVE)));
        if (vips != null) {
            runs.add(print(measureVips(progressive, out, fewer, 1, PROGRESSIVE, true)));
            runs.add(print(measureVips(sources, out, rounds, 1, BASELINE, false)));
            runs.add(print(measureVipsPerFile(sources, out, fewer)));
        }
        ctx.report(report(ctx, runs, sources, vips, rounds));
    }

    private static Run print(Run run) {
        System.out.printf(
                "%-58s threads=%d images=%d %.2f/s cpu %.1f ms/image %s%n",
                run.path(),
                run.threads(),
                run.images(),
                run.perSecond(),
                run.cpuMillisPerImage(),
                run.latencies().summary());
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

    private static Run measureJava(
            ImagePipeline pipeline, List<Path> sources, Path out, int rounds, int threads, String variant)
            throws Exception {
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
                        ProcessedImage result = pipeline.process(source, ImageFormat.JPEG, out);
                        latencies.record(System.nanoTime() - t0);
                        Files.delete(result.original());
                        Files.delete(result.thumbnail());
                        return null;
                    }));
                }
            }
            for (Future<?> task : tasks) {
                task.get();
            }
            long wall = System.nanoTime() - start;
            cpu = processCpuNanos() - cpu;
            return new Run(JOB + variant, threads, tasks.size(), latencies, wall, cpu);
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /**
     * T workers in parallel, each with every T-th image of the whole list, one libvips thread each: a
     * {@code vipsthumbnail} of its share, then (when {@code strip}) a second {@code vipsthumbnail} that keeps the
     * size ({@code >}: never enlarge) and saves with {@code strip}: a full decode and encode, as {@code vips copy
     * in.jpg out.jpg[strip]} does, with the start-up paid once.
     */
    private static Run measureVips(List<Path> sources, Path out, int rounds, int threads, String variant, boolean strip)
            throws Exception {
        List<List<String>> shares = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            shares.add(new ArrayList<>());
        }
        int images = 0;
        for (int r = 0; r < rounds; r++) {
            for (Path source : sources) {
                shares.get(images++ % threads).add(source.toAbsolutePath().toString());
            }
        }
        long cpu = childrenCpuNanos();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        List<Exception> failures = new CopyOnWriteArrayList<>();
        for (List<String> share : shares) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    vips(share, "vipsthumbnail", "-s", "200x200", "-o", out.toAbsolutePath() + "/%s-vips.jpg[Q=85]");
                    if (strip) {
                        vips(
                                share,
                                "vipsthumbnail",
                                "-s",
                                "100000x100000>",
                                "-o",
                                out.toAbsolutePath() + "/%s-strip.jpg[strip,Q=90]");
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
        long wall = System.nanoTime() - start;
        cpu = childrenCpuNanos() - cpu;
        // Per-image latency of a batch is not observable from outside; record the batch mean for each image.
        Latencies perImage = new Latencies();
        for (int i = 0; i < images; i++) {
            perImage.record(wall * threads / images);
        }
        return new Run((strip ? VIPS : VIPS_THUMBNAIL) + variant, threads, images, perImage, wall, cpu);
    }

    /** One file at a time, two processes each: {@code vipsthumbnail} and {@code vips copy ...[strip]}. */
    private static Run measureVipsPerFile(List<Path> sources, Path out, int rounds) throws Exception {
        Latencies latencies = new Latencies();
        long cpu = childrenCpuNanos();
        long start = System.nanoTime();
        int images = 0;
        for (int r = 0; r < rounds; r++) {
            for (Path source : sources) {
                long t0 = System.nanoTime();
                String file = source.toAbsolutePath().toString();
                vips(
                        List.of(file),
                        "vipsthumbnail",
                        "-s",
                        "200x200",
                        "-o",
                        out.toAbsolutePath() + "/%s-vips.jpg[Q=85]");
                vips(List.of(out.resolve("copy-stripped.jpg") + "[strip,Q=90]"), "vips", "copy", file);
                latencies.record(System.nanoTime() - t0);
                images++;
            }
        }
        long wall = System.nanoTime() - start;
        return new Run(VIPS_PER_FILE, 1, images, latencies, wall, childrenCpuNanos() - cpu);
    }

    private static void vips(List<String> arguments, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(command));
        line.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(line).inheritIO();
        builder.environment().put("VIPS_CONCURRENCY", "1");
        Process process = builder.start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command[0] + " failed with exit code " + process.exitValue());
        }
    }

    /** CPU time of this JVM, all threads (JIT and GC included). */
    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * CPU time of this JVM's finished and reaped child processes: cutime + cstime of /proc/self/stat, in clock
     * ticks of 10 ms (USER_HZ is 100 on Linux). CPU time, unlike wall time, does not grow when other work on a
     * shared machine takes turns on the cores.
     */
    private static long childrenCpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10_000_000L;
    }

    /** libvips' version, or null when vipsthumbnail is not installed. */
    private static String vipsVersion() {
        try {
            Process p = new ProcessBuilder("vipsthumbnail", "--vips-version")
                    .redirectErrorStream(true)
                    .start();
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
        md.append("## thumbs: the image job on 12-megapixel JPEGs, against libvips\n\n");
        md.append(String.format(
                """
                %d photo-like %dx%d JPEGs (gradients, discs and per-pixel noise; ImageIO quality 0.9, 4:2:0;
                %.1f MB on average), each processed %d times (progressive copies: %d times), with the output
                each user's image gets: a metadata-free original and a thumbnail fitting 200x200.

                - `ImagePipeline.process` is the image job's work: the header check, the original cleaned by
                  rewriting its segments (tables, frame and scans copied byte for byte, metadata dropped), the
                  thumbnail decoded from the cleaned file at 1/8 scale from its DC coefficients (Huffman decoding
                  of every coefficient of a baseline file, the first scan of a progressive one; no inverse DCT),
                  halved with bilinear averaging, written as a JPEG (quality 0.85), and its BlurHash.
                - libvips, the same outputs: `vipsthumbnail -s 200x200` (shrink-on-load in libjpeg-turbo, Q=85),
                  then a stripped copy, which libvips can only make by decoding and encoding: a second
                  `vipsthumbnail -s '100000x100000>'` (never enlarges, so the full size) saved with
                  `[strip,Q=90]`, which is `vips copy in.jpg out.jpg[strip,Q=90]` with the start-up paid once per
                  process rather than per file. Each of the T processes gets its share of the files in one
                  invocation, `VIPS_CONCURRENCY=1`. No BlurHash. The last two rows split that work: the thumbnail
                  alone, and both steps as a process per file (start-up paid every time).
                - CPU per image is all CPU of the benchmark JVM (JIT and GC included) or of the libvips
                  processes, divided by the images. On this shared machine wall time also counts the turns other
                  work takes on the two cores; CPU time does not, so the CPU ratio is the steadier comparison.

                Aim: the job within 2x of libvips doing the same work, in wall and CPU time.

                """, sources.size(), WIDTH, HEIGHT, averageSize(sources) / 1e6, rounds, Math.max(1, rounds / 3)));
        md.append("| path | threads | images | median per image | images/s | CPU per image "
                + "| Java / libvips: wall, CPU |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Run run : runs) {
            String ratio = "";
            if (run.path().startsWith(JOB)) {
                ratio = libvipsFor(runs, run)
                        .map(v -> String.format("%.2fx, %.2fx", wallRatio(run, v), cpuRatio(run, v)))
                        .orElse("n/a (no libvips)");
            }
            String median = String.format(
                    "%.1f ms%s", run.latencies().quantile(0.5) / 1e6, run.batchMean() ? " (batch mean)" : "");
            md.append(String.format(
                    "| %s | %d | %d | %s | %.2f | %.1f ms | %s |%n",
                    run.path(), run.threads(), run.images(), median, run.perSecond(), run.cpuMillisPerImage(), ratio));
        }
        md.append('\n');
        for (Run run : runs) {
            if (run.path().startsWith(JOB)) {
                libvipsFor(runs, run).ifPresent(v -> {
                    double wall = wallRatio(run, v);
                    double cpu = cpuRatio(run, v);
                    md.append(String.format(
                            "Aim (%s, threads=%d): %s: %.2fx the wall time and %.2fx the CPU time " + "of libvips.%n",
                            run.path().contains(PROGRESSIVE) ? "progressive" : "baseline",
                            run.threads(),
                            wall <= 2 && cpu <= 2 ? "met" : "NOT met",
                            wall,
                            cpu));
                });
            }
        }
        md.append('\n');
        md.append(
                vips == null
                        ? "libvips was not installed: no libvips figures and no ratio in this run.\n\n"
                        : "libvips: " + vips + " (Debian package libvips-tools).\n\n");
        md.append(String.format(BEFORE, BEFORE_ROWS)).append('\n');
        md.append(ctx.machine(String.format(
                "%d files x %d rounds (progressive: %d); warm-up 3 rounds of the job "
                        + "first; Java threads = libvips processes; benchmark JVM -Xmx2g, no server",
                sources.size(), rounds, Math.max(1, rounds / 3))));
        return md.toString();
    }

    /** From the run on commit 2d1521e (see {@link #BEFORE}), 2026-12-07 02:50 UTC, load average 6.87 at start. */
    private static final String BEFORE_ROWS = """
            | Java: ImagePipeline.process (before) | 1 | 40 | 767.4 ms | 1.08 | 456.8 ms |
            | Java: ImagePipeline.process (before) | 2 | 40 | 1898.8 ms | 1.01 | 465.3 ms |
            | Java: ImagePipeline.process, progressive (before) | 1 | 12 | 4036.1 ms | 0.24 | 1365.0 ms |""";

    private static Optional<Run> libvipsFor(List<Run> runs, Run job) {
        String variant = job.path().substring(JOB.length());
        return runs.stream()
                .filter(v -> v.path().equals(VIPS + variant) && v.threads() == job.threads())
                .findFirst();
    }

    private static double wallRatio(Run job, Run vips) {
        return vips.perSecond() / job.perSecond();
    }

    private static double cpuRatio(Run job, Run vips) {
        return job.cpuMillisPerImage() / vips.cpuMillisPerImage();
    }

    private static double averageSize(List<Path> sources) throws Exception {
        long total = 0;
        for (Path source : sources) {
            total += Files.size(source);
        }
        return (double) total / sources.size();
    }
}
