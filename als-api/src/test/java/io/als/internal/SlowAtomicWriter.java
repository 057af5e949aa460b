package io.als.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A process for {@link AtomicFilesTest}: starts an atomic write of the file named by its
 * argument, prints "writing" once the temporary file exists, and then never finishes, so that
 * the test can kill it in the middle of the write.
 */
public final class SlowAtomicWriter {
    private SlowAtomicWriter() {
    }

    public static void main(String[] args) throws Exception {
        AtomicFiles.write(Path.of(args[0]), out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            out.flush();
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
