package io.als.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes arrays in NumPy's {@code .npy} format, version 1.0 (the format of
 * {@code numpy.lib.format}, described in NumPy Enhancement Proposal 1): the magic string
 * {@code \x93NUMPY}, the version bytes 1 and 0, the header length as a little-endian
 * unsigned 16-bit integer, then an ASCII header holding a Python dict literal
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and
 * ended by {@code '\n'} so that the data starts at a multiple of 64 bytes, then the data in C
 * (row-major) order. Doubles are {@code <f8} and longs {@code <i8}, both little-endian.
 */
public final class Npy {
    /** Magic string, version, header length: the bytes before the header. */
    static final int PREAMBLE = 10;
    /** The data starts at a multiple of this. */
    static final int ALIGNMENT = 64;
    /** Values converted per write of the data. */
    private static final int CHUNK = 4096;

    private Npy() {
    }

    /** The header bytes of an array of type {@code descr} and this shape, preamble included. */
    public static byte[] header(String descr, long... shape) {
        StringBuilder dims = new StringBuilder("(");
        for (int d = 0; d < shape.length; d++) {
            dims.append(d == 0 ? "" : ", ").append(shape[d]);
        }
        // Python writes a one-element tuple with a trailing comma.
        dims.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + dims + ", }";
        int unpadded = PREAMBLE + dict.length() + 1;
        int padded = (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        int headerLength = padded - PREAMBLE;
        if (headerLength > 0xFFFF) {
            throw new IllegalArgumentException("an .npy 1.0 header must be under 65536 bytes but would be "
                    + headerLength);
        }
        byte[] out = new byte[padded];
        out[0] = (byte) 0x93;
        byte[] magic = "NUMPY".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, out, 1, magic.length);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) (headerLength & 0xFF);
        out[9] = (byte) (headerLength >>> 8);
        byte[] text = dict.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, out, PREAMBLE, text.length);
        for (int b = PREAMBLE + text.length; b < padded - 1; b++) {
            out[b] = ' ';
        }
        out[padded - 1] = '\n';
        return out;
    }

    /**
     * Writes {@code values} as a {@code <f8} array of this shape (whose product must be the
     * length of {@code values}; an empty shape is a 0-d array of one value).
     */
    public static void writeDoubles(OutputStream out, double[] values, long... shape) throws IOException {
        checkSize(values.length, shape);
        out.write(header("<f8", shape));
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += CHUNK) {
            int to = Math.min(values.length, from + CHUNK);
            buf.clear();
            for (int i = from; i < to; i++) {
                buf.putDouble(values[i]);
            }
            out.write(buf.array(), 0, buf.position());
        }
    }

    /** Writes {@code values} as a one-dimensional {@code <i8} array. */
    public static void writeLongs(OutputStream out, long[] values) throws IOException {
        out.write(header("<i8", values.length));
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += CHUNK) {
            int to = Math.min(values.length, from + CHUNK);
            buf.clear();
            for (int i = from; i < to; i++) {
                buf.putLong(values[i]);
            }
            out.write(buf.array(), 0, buf.position());
        }
    }

    private static void checkSize(int length, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape must be non-negative but had " + d);
            }
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("shape must hold the " + length + " values but holds " + n);
        }
    }
}
