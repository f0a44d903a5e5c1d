package dev.parley.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A Parley node in a JVM of its own on a fixed loopback port, so that it can be stopped with SIGTERM (a graceful
 * shutdown, as an orchestrator does it) and started again on the same port. Started from the packaged jar
 * ({@code java -jar}) or from this test run's classpath (the same classes surefire tests). Stopped by its PID.
 */
public final class ParleyProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<String> launcher;
    private final List<String> args;
    private final Map<String, String> environment;
    private final Path log;
    private final int port;
    private Process process;

    /**
     * {@code launcher}: what starts the JVM on the server's main ({@link #jar} or {@link #classpath}), before
     * {@code args}; {@code environment}: what must not show on the command line (the database password).
     */
    public ParleyProcess(
            List<String> launcher, List<String> args, Map<String, String> environment, Path log, int port) {
        this.launcher = List.copyOf(launcher);
        this.args = List.copyOf(args);
        this.environment = Map.copyOf(environment);
        this.log = log;
        this.port = port;
    }

    /** {@code java <jvmArgs> -jar <jar>} with the JDK running this JVM. */
    public static List<String> jar(Path jar, List<String> jvmArgs) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    /** {@code java <jvmArgs> -cp <this run's classpath> dev.parley.ParleyApplication}. */
    public static List<String> classpath(List<String> jvmArgs) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", classpath, "dev.parley.ParleyApplication"));
        return command;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** Starts the JVM (its output appended to the log) and waits until {@code /health/ready} answers 200. */
    public void start(Duration timeout) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add("--server.port=" + port);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        Process started = process;
        Awaitility.await("node on port " + port + " ready (log " + log + ")")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException(
                                "node on port " + port + " exited with " + started.exitValue() + "; see " + log);
                    }
                    return ready();
                });
    }

    /** Whether the node's own {@code /health/ready} answers 200 now. */
    public boolean ready() {
        try {
            HttpResponse<Void> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sends SIGTERM: the node begins its graceful shutdown. */
    public void terminate() {
        process.destroy();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /**
     * Waits for the process to end after {@link #terminate()}; returns its exit status. A node that has not ended
     * within {@code timeout} is killed, and that fails the caller.
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("node on port " + port + " did not stop within " + timeout + "; killed");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
