package io.als.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The {@code .npy} 1.0 layout, byte by byte: magic {@code \x93NUMPY}, version 1.0, header
 * length as little-endian uint16, the dict padded with spaces and ended by a newline so the
 * data starts at a multiple of 64, then little-endian values in C order.
 */
class NpyTest {

    /** The bytes of a header: preamble, dict, spaces up to {@code total - 1}, newline. */
    private static byte[] expectedHeader(String dict, int total) {
        byte[] b = new byte[total];
        b[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, b, 1, 5);
        b[6] = 1;
        b[7] = 0;
        int len = total - 10;
        b[8] = (byte) len;
        b[9] = (byte) (len >> 8);
        byte[] d = dict.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(d, 0, b, 10, d.length);
        for (int i = 10 + d.length; i < total - 1; i++) {
            b[i] = ' ';
        }
        b[total - 1] = '\n';
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aTwoByThreeDoubleArray() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.writeDoubles(out, new double[] {1, -2.5, 0.125, 3, 4, 5}, 2, 3);
        // 10 + 59 characters of dict + 1 newline = 70, so the header is padded to 128 bytes.
        byte[] header = expectedHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", 128);
        // IEEE 754 doubles, least significant byte first: 1 = 3ff0..., -2.5 = c004..., 0.125 = 3fc0...,
        // 3 = 4008..., 4 = 4010..., 5 = 4014...
        byte[] data = HexFormat.of().parseHex("000000000000f03f" + "00000000000004c0" + "000000000000c03f"
                + "0000000000000840" + "0000000000001040" + "0000000000001440");
        assertArrayEquals(concat(header, data), out.toByteArray());
        assertEquals(118, header[8] & 0xFF);
        assertEquals(0, header[9]);
    }

    @Test
    void oneDimensionalShapesHaveATrailingCommaAndZeroDimensionalOnesAreEmpty() throws IOException {
        ByteArrayOutputStream ids = new ByteArrayOutputStream();
        Npy.writeLongs(ids, new long[] {7, -1});
        assertArrayEquals(concat(expectedHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", 128),
                HexFormat.of().parseHex("0700000000000000ffffffffffffffff")), ids.toByteArray());

        ByteArrayOutputStream scalar = new ByteArrayOutputStream();
        Npy.writeDoubles(scalar, new double[] {2.5});
        assertArrayEquals(concat(expectedHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 128),
                HexFormat.of().parseHex("0000000000000440")), scalar.toByteArray());
    }

    @Test
    void theDataAlwaysStartsAtAMultipleOf64AndTheShapeMustHoldTheValues() {
        for (long rows : new long[] {0, 1, 9, 12345678901L}) {
            byte[] h = Npy.header("<f8", rows, 3);
            assertEquals(0, h.length % 64);
            assertEquals('\n', h[h.length - 1]);
            assertEquals(h.length - 10, (h[8] & 0xFF) | (h[9] & 0xFF) << 8);
        }
        assertThrows(IllegalArgumentException.class,
                () -> Npy.writeDoubles(new ByteArrayOutputStream(), new double[5], 2, 3));
    }
}
