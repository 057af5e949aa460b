package io.als.nd4j;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import org.bytedeco.javacpp.DoublePointer;

/**
 * A fixed-length array of doubles outside the Java heap, starting on a 64-byte boundary,
 * seen from Java as a {@link DoubleBuffer} and from BLAS/LAPACK as a {@link DoublePointer}.
 *
 * <p>The alignment is part of the determinism contract: every worker's workspace starts at
 * the same offset within a cache line, so a BLAS kernel that chose a different code path
 * for a different alignment could still never make a row's result depend on which worker
 * solved it.
 */
final class OffHeapArray implements AutoCloseable {
    /** Bytes of alignment: one cache line, also the widest vector register (AVX-512). */
    static final int ALIGNMENT_BYTES = 64;
    private static final int ALIGNMENT_DOUBLES = ALIGNMENT_BYTES / Double.BYTES;

    private final DoublePointer owner;
    private final long start;
    private final int length;
    private final DoubleBuffer buffer;

    /** Allocates {@code length} doubles; the contents are unspecified until written. */
    OffHeapArray(int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("length must be positive but was " + length);
        }
        this.length = length;
        this.owner = new DoublePointer((long) length + ALIGNMENT_DOUBLES);
        long misalignment = owner.address() % ALIGNMENT_BYTES;
        if (misalignment % Double.BYTES != 0) {
            throw new IllegalStateException("native allocation is not 8-byte aligned: address " + owner.address());
        }
        this.start = misalignment == 0 ? 0 : (ALIGNMENT_BYTES - misalignment) / Double.BYTES;
        owner.position(start).limit(start + length);
        this.buffer = owner.asBuffer();
        owner.position(0).limit(owner.capacity());
        if (buffer.capacity() != length || buffer.order() != ByteOrder.nativeOrder()) {
            throw new IllegalStateException("off-heap view has capacity " + buffer.capacity() + " and order "
                    + buffer.order() + ", expected " + length + " and " + ByteOrder.nativeOrder());
        }
    }

    int length() {
        return length;
    }

    /** Java view of the whole array; absolute get/put only (its position is never used). */
    DoubleBuffer buffer() {
        return buffer;
    }

    /**
     * A pointer to element {@code offset}, for passing to native code. Creates an object:
     * call when setting up a workspace, not per row.
     */
    DoublePointer pointer(long offset) {
        if (offset < 0 || offset >= length) {
            throw new IndexOutOfBoundsException("offset must be in [0, " + length + ") but was " + offset);
        }
        return new DoublePointer(owner).position(start + offset);
    }

    /** Native address of element 0, for tests of the alignment. */
    long address() {
        return owner.address() + start * Double.BYTES;
    }

    /** Frees the native memory; views and pointers obtained earlier must not be used again. */
    @Override
    public void close() {
        owner.deallocate();
    }
}
