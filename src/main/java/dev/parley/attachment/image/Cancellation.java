package dev.parley.attachment.image;

import java.util.concurrent.CancellationException;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;

/**
 * Stops one image job from another thread (a watchdog whose time ran out). ImageIO's readers and writers stop
 * within a row of pixels when aborted, but then return normally, with part of the image; so the pipeline registers
 * each one it uses here, and checks between steps, turning a cancellation into a {@link CancellationException}
 * instead of a half-decoded picture.
 */
public final class Cancellation {

    /** For callers without a time limit (tests, benchmarks): never cancelled, registers nothing. */
    public static final Cancellation NONE = new Cancellation();

    private volatile boolean cancelled;
    private volatile Object current;

    /** Asks the job to stop: aborts the reader or writer at work now, and makes the next check throw. */
    public void cancel() {
        if (this == NONE) {
            return;
        }
        cancelled = true;
        abort(current);
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Throws {@link CancellationException} once {@link #cancel()} was called. */
    void check() {
        if (cancelled) {
            throw new CancellationException("The image job was cancelled");
        }
    }

    /** The reader or writer now at work (null when none); aborted at once if the job is already cancelled. */
    void using(Object readerOrWriter) {
        if (this == NONE) {
            return;
        }
        current = readerOrWriter;
        if (cancelled) {
            abort(readerOrWriter);
        }
    }

    private static void abort(Object readerOrWriter) {
        if (readerOrWriter instanceof ImageReader reader) {
            reader.abort();
        } else if (readerOrWriter instanceof ImageWriter writer) {
            writer.abort();
        }
    }
}
