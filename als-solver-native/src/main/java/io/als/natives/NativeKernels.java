package io.als.natives;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * The JNI entry points of the native kernels (src/main/c/alsnative.c) and the loading of
 * their shared library. The library is built with the module (gcc, for Linux on x86-64) and
 * packed into the jar; on first use it is copied to a temporary file, loaded, and the file
 * deleted (the loaded library stays mapped). On any other platform, or when loading fails,
 * {@link #unavailableBecause()} says why and nothing here may be called.
 *
 * <p>Arrays are read in place (JNI critical regions) for the length of one call; each call
 * solves a block of rows, so the cost of crossing into native code is shared by many rows.
 */
final class NativeKernels {
    /** Where the library is in the jar, for the one platform it is built for. */
    static final String RESOURCE = "/io/als/natives/linux-x86_64/libalsnative.so";

    private static final Optional<String> PROBLEM = load();

    private NativeKernels() {
    }

    /** Why the kernels cannot be used in this JVM, or empty when they can. */
    static Optional<String> unavailableBecause() {
        return PROBLEM;
    }

    private static Optional<String> load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return Optional.of("is built for Linux on x86-64 only, not " + os + " on " + arch);
        }
        try (InputStream in = NativeKernels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Optional.of("has no library " + RESOURCE + " in its jar (the jar was built on another platform)");
            }
            Path file;
            try {
                file = Files.createTempFile("alsnative", ".so");
            } catch (IOException | SecurityException e) {
                return Optional.of("could not write its library to the temporary directory "
                        + System.getProperty("java.io.tmpdir") + " (" + reason(e) + "); set java.io.tmpdir to a"
                        + " writable directory");
            }
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            } finally {
                Files.deleteIfExists(file);
            }
            return Optional.empty();
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            // For example a temporary directory mounted noexec: the file is written but cannot be mapped.
            return Optional.of("could not load its library from the temporary directory "
                    + System.getProperty("java.io.tmpdir") + " (" + reason(e) + ")");
        }
    }

    /** The rank rounded up to whole SIMD vectors of eight doubles: the kernels' row stride. */
    static int padded(int rank) {
        return (rank + 7) & ~7;
    }

    /** Systems the kernels factor side by side at small ranks. */
    private static final int LANES = 8;
    /** The largest padded rank they do so at. */
    private static final int LOCKSTEP_MAX = 16;

    /**
     * The length of the workspace array: the matrix and seven vectors of the padded rank;
     * at padded ranks up to 16, {@value #LANES} systems side by side, twice (as accumulated and
     * interleaved) with four more vectors each; eight doubles for the kernels to start on a
     * 64-byte boundary; and, when the factor rows are not padded already, room to copy those
     * of the longest row, {@code longest} entries, with their positions.
     */
    static long workspace(int rank, int longest) {
        long kp = padded(rank);
        long lockstep = kp <= LOCKSTEP_MAX ? 2 * LANES * kp * kp + 6 * LANES * kp : 0;
        return kp * kp + 7 * kp + lockstep + 8 + kp * longest + (longest + 1) / 2;
    }

    /** An exception as its kind and message, for a reason shown to a user. */
    private static String reason(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * Solves rows {@code from .. from + count - 1} of the compressed view ({@code ptr},
     * {@code idx}, {@code val}, and {@code wgt} or null for weight 1) into the same rows of
     * {@code target} (row-major, rank {@code k}): row {@code r}'s system is
     * {@code (G + F^T W F + penalties[r] I) x = F^T v}, with {@code F} the rows of
     * {@code fixed} its entries name ({@code fixed} row-major, rows {@code stride} apart:
     * {@code k}, or {@link #padded}{@code (k)} with zeros past the rank) and {@code G} the
     * dense {@code k x k} {@code shared}, or none when null. With {@code steps} 0 each row is
     * solved by Cholesky; otherwise it runs {@code steps} steps of conjugate gradient from its
     * current value in {@code target}. An empty row becomes zero. {@code work} is scratch space
     * of at least {@link #workspace} doubles, for {@code longest} at least the most entries of
     * the rows (0 when {@code fixed} is padded).
     *
     * @return -1 when every row was solved; else the position in the block of the first row that
     *         could not be (fewer entries than the rank with no penalty and no shared term, a
     *         failed pivot, or a result that is not finite), which with the rows after it is
     *         left as it was; -3 when an array could not be read in place
     */
    static native int solveBlock(int k, int[] ptr, int[] idx, double[] val, double[] wgt, double[] fixed, int stride,
                                 double[] shared, int from, int count, double[] penalties, double[] target, int steps,
                                 double[] work, int longest);

    /**
     * The squared errors of rows {@code from..to-1} of the view ({@code ptr}, {@code idx},
     * {@code val}) against {@code fixed} (as in {@link #solveBlock}): over each row {@code r},
     * whose factors are {@code rows[r k .. r k + k - 1]}, and its entries {@code e}, the sum of
     * {@code (val[e] - x_r . f_{idx[e]})^2}. The result depends on the rows alone, not on the
     * thread. The rank must be at most {@link #MAX_SQUARED_ERRORS_RANK} (each row is copied to
     * the native stack).
     *
     * @return the sum; NaN when an array could not be read in place
     */
    static native double squaredErrors(int k, int[] ptr, int[] idx, double[] val, double[] fixed, int stride,
                                       double[] rows, int from, int to);

    /** The largest rank {@link #squaredErrors} takes: its row copy, 16 KB, lives on the native stack. */
    static final int MAX_SQUARED_ERRORS_RANK = 2048;
}
