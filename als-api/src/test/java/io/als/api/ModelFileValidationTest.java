package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files whose checksum is right but whose content is not: each is refused at load with
 * a message naming the file and the fault, instead of predicting NaN, relabelling rows or
 * running out of memory. The files are crafted here byte by byte, with a valid CRC-32.
 */
class ModelFileValidationTest {
    @TempDir
    Path dir;

    /** The parts of a small model (2 users, 3 items, rank 2), each open to tampering. */
    static final class Crafted {
        int version = 2;
        int rank = 2;
        int samples = 1;
        int claimedUsers = -1;
        boolean biased = true;
        long[] users = {1, 2};
        long[] items = {10, 20, 30};
        String[] textUsers;
        double mean = 3;
        double[] userBias = {0.5, -0.5};
        double[] itemBias = {0.1, 0.2, -0.3};
        double[] u = {0.1, 0.2, 0.3, 0.4};
        double[] p = {1, 0, 0, 1, 0.5, 0.5};
        int[] ptr = {0, 2, 3};
        int[] idx = {0, 2, 1};

        byte[] bytes() throws IOException {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(raw);
            out.write("ALSMODEL".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(version);
            out.writeInt(rank);
            if (version >= 2) {
                out.writeInt(samples);
            }
            int nu = textUsers != null ? textUsers.length : users.length;
            out.writeInt(claimedUsers >= 0 ? claimedUsers : nu);
            out.writeInt(items.length);
            if (version >= 2) {
                out.writeByte(biased ? 1 : 0);
            }
            if (textUsers != null) {
                out.writeByte(1);
                for (String id : textUsers) {
                    byte[] b = id.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(b.length);
                    out.write(b);
                }
            } else {
                out.writeByte(0);
                for (long id : users) {
                    out.writeLong(id);
                }
            }
            out.writeByte(0);
            for (long id : items) {
                out.writeLong(id);
            }
            out.writeDouble(mean);
            for (double[] a : new double[][] {userBias, itemBias, u, p}) {
                for (double v : a) {
                    out.writeDouble(v);
                }
            }
            out.writeInt(idx.length);
            for (int v : ptr) {
                out.writeInt(v);
            }
            for (int v : idx) {
                out.writeInt(v);
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(raw.toByteArray());
            out.writeLong(crc.getValue());
            return raw.toByteArray();
        }
    }

    private Path file(Crafted c) throws IOException {
        return Files.write(dir.resolve("m.als"), c.bytes());
    }

    private String refused(Crafted c) throws IOException {
        Path f = file(c);
        String message = assertThrows(ModelFormatException.class, () -> ModelFile.read(f)).getMessage();
        assertTrue(message.startsWith(f + ": "), message);
        return message.substring(f.toString().length() + 2);
    }

    @Test
    void theCraftedModelIsValidAsItStands() throws IOException {
        Model m = ModelFile.read(file(new Crafted()));
        // mean 3 + user 2's bias -0.5 + item 30's bias -0.3 + (0.3, 0.4) . (0.5, 0.5)
        assertEquals(3 - 0.5 - 0.3 + 0.35, m.predict("2", "30"), 1e-12);
        Crafted v1 = new Crafted();
        v1.version = 1;
        assertEquals(m.predict("2", "30"), ModelFile.read(file(v1)).predict("2", "30"), 0.0);
    }

    /**
     * A file whose checksum fails says whether it is too short for its own header (then it is
     * cut) without quoting its last eight bytes as a checksum. The crafted model is 235 bytes;
     * its sizes need at least 29 (header) + 22 (ids) + 8 x 16 (numbers) + 16 (pattern) + 8 = 203.
     */
    @Test
    void aFailedChecksumSaysWhetherTheFileIsCut() throws IOException {
        byte[] good = new Crafted().bytes();
        assertEquals(235, good.length);
        Path f = dir.resolve("cut.als");
        Files.write(f, java.util.Arrays.copyOf(good, 20));
        assertEquals(f + ": model file is truncated: it has 20 bytes, fewer than its header and checksum take",
                assertThrows(ModelFormatException.class, () -> ModelFile.read(f)).getMessage());
        Files.write(f, java.util.Arrays.copyOf(good, 202));
        assertEquals(f + ": model file is truncated: it has 202 bytes, but its header's 2 users and 3 items of rank 2"
                + " need at least 203", assertThrows(ModelFormatException.class, () -> ModelFile.read(f)).getMessage());
        // From 203 bytes on the header's sizes fit, and a cut file is not told from a damaged one.
        Files.write(f, java.util.Arrays.copyOf(good, 203));
        assertEquals(f + ": model file is corrupted or truncated: its 203 bytes do not match the CRC-32 checksum it"
                + " ends with", assertThrows(ModelFormatException.class, () -> ModelFile.read(f)).getMessage());
        byte[] flipped = good.clone();
        flipped[100] ^= 1;
        Files.write(f, flipped);
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.read(f)).getMessage()
                .endsWith("corrupted or truncated: its 235 bytes do not match the CRC-32 checksum it ends with"));
    }

    @Test
    void nonFiniteNumbersAreRefused() throws IOException {
        Crafted c = new Crafted();
        c.u[3] = Double.NaN;
        assertEquals("the factor of user '2' (column 2) is NaN; a model's numbers must be finite", refused(c));
        c = new Crafted();
        c.itemBias[1] = Double.POSITIVE_INFINITY;
        assertEquals("the bias of item '20' is Infinity; a model's numbers must be finite", refused(c));
        c = new Crafted();
        c.mean = Double.NaN;
        assertEquals("the global mean must be finite but is NaN", refused(c));
        c = new Crafted();
        c.version = 1;
        c.p[0] = Double.NEGATIVE_INFINITY;
        assertEquals("the factor of item '10' (column 1) is -Infinity; a model's numbers must be finite", refused(c));
        c = new Crafted();
        c.samples = 2;
        c.rank = 1;
        c.userBias = new double[] {0, 0, 0, Double.NaN};
        c.itemBias = new double[6];
        assertEquals("the bias of user '2' (sample 2) is NaN; a model's numbers must be finite", refused(c));
        // Finite, but their products are not: every prediction involving them would be infinite or NaN.
        c = new Crafted();
        c.u[0] = 1e200;
        c.p[0] = -1e200;
        assertEquals("its factors and biases are so large (up to 1.0E200) that predictions would overflow; no fit"
                + " produces such a model", refused(c));
    }

    @Test
    void idsOutOfOrderOrRepeatedAreRefusedInsteadOfRelabellingRows() throws IOException {
        Crafted c = new Crafted();
        c.users = new long[] {2, 1};
        assertEquals("user ids must be strictly ascending, as they are written, but user 1 (row 1) follows 2",
                refused(c));
        c = new Crafted();
        c.items = new long[] {10, 10, 30};
        assertEquals("item ids must be strictly ascending, as they are written, but item 10 (row 1) follows 10",
                refused(c));
        c = new Crafted();
        c.textUsers = new String[] {"bob", "alice"};
        assertEquals("user ids must be strictly ascending, as they are written, but user 'alice' (row 1) follows"
                + " 'bob'", refused(c));
    }

    @Test
    void aBrokenRatedPatternIsRefused() throws IOException {
        Crafted c = new Crafted();
        c.ptr = new int[] {1, 2, 3};
        assertEquals("the rated pattern's first row pointer must be 0 but is 1", refused(c));
        c = new Crafted();
        c.ptr = new int[] {0, 3, 2};
        assertEquals("the rated pattern's row pointers must rise from 0 to 3 but row 1 runs from 3 to 2", refused(c));
        c = new Crafted();
        c.ptr = new int[] {0, 2, 2};
        assertEquals("the rated pattern's last row pointer must be the count 3 but is 2", refused(c));
        c = new Crafted();
        c.idx = new int[] {0, 3, 1};
        assertEquals("rated item index 3 of user row 0 is outside 0..2", refused(c));
        c = new Crafted();
        c.idx = new int[] {2, 0, 1};
        assertEquals("rated item indices of user row 0 must be strictly ascending but 0 follows 2", refused(c));
        c = new Crafted();
        c.idx = new int[] {2, 2, 1};
        assertEquals("rated item indices of user row 0 must be strictly ascending but 2 follows 2", refused(c));
    }

    @Test
    void anUnbiasedModelWithBiasesIsRefused() throws IOException {
        Crafted c = new Crafted();
        c.biased = false;
        assertEquals("the model is flagged unbiased but has a non-zero mean or bias", refused(c));
    }

    @Test
    void aHeaderClaimingMoreThanTheFileHoldsFailsBeforeAllocating() throws IOException {
        Crafted c = new Crafted();
        c.claimedUsers = Integer.MAX_VALUE;
        long start = System.nanoTime();
        String message = refused(c);
        assertTrue((System.nanoTime() - start) / 1e9 < 2, "fails at once");
        assertTrue(message.startsWith("the header claims 2147483647 users and 3 items of rank 2 (1 sample(s)), which"
                + " need at least "), message);
        assertTrue(message.endsWith(" more bytes, but only 198 are left in the file; it is truncated or not a valid"
                + " model"), message);
        assertEquals(235, Files.size(dir.resolve("m.als")));
    }

    @Test
    void theSizeCheckAsksForTheLeastTheHeaderNeedsAndNoMore() throws IOException {
        // After the header of this version-2 file 198 bytes are left. Claiming 4 users (and 3
        // items, rank 2, 1 sample), the least the rest can take, from the layout: ids at least
        // 4 bytes each plus a type byte per side (2 + 4 * 7 = 30), the mean, 7 biases and 14
        // factors as doubles (8 * 22 = 176), the entry count (4) and 5 row pointers (20): 230.
        Crafted c = new Crafted();
        c.claimedUsers = 4;
        assertEquals("the header claims 4 users and 3 items of rank 2 (1 sample(s)), which need at least 230 more"
                + " bytes, but only 198 are left in the file; it is truncated or not a valid model", refused(c));
        // Claiming 3 needs 2 + 24 + 8 * 19 + 4 + 16 = 198: exactly what is left, so this check
        // passes and the file fails later, on its content.
        c.claimedUsers = 3;
        String later = refused(c);
        assertTrue(!later.contains("the header claims"), later);
        // Version 1 has the same check (no samples: 1).
        Crafted v1 = version1();
        v1.claimedUsers = Integer.MAX_VALUE;
        assertTrue(refused(v1).startsWith("the header claims 2147483647 users and 3 items of rank 2 (1 sample(s))"));
    }

    @Test
    void version1FilesGetEveryCheckOfTheirNumbers() throws IOException {
        Crafted[] files = {version1(), version1(), version1(), version1()};
        files[0].userBias[0] = Double.NaN;
        files[1].itemBias[2] = Double.POSITIVE_INFINITY;
        files[2].u[1] = Double.NaN;
        files[3].u = new double[] {1e200, 0, 0, 0};
        files[3].p = new double[] {1e200, 0, 0, 0, 0, 0};
        String[] messages = {"the bias of user '1' is NaN; a model's numbers must be finite",
            "the bias of item '30' is Infinity; a model's numbers must be finite",
            "the factor of user '1' (column 2) is NaN; a model's numbers must be finite",
            "its factors and biases are so large (up to 1.0E200) that predictions would overflow; no fit produces"
                + " such a model"};
        for (int f = 0; f < files.length; f++) {
            assertEquals(messages[f], refused(files[f]));
        }
    }

    private static Crafted version1() {
        Crafted c = new Crafted();
        c.version = 1;
        return c;
    }

    @Test
    void theOverflowBoundAddsTheMeanEveryBiasAndTheFactors() throws IOException {
        // Each pair below is finite alone and overflows only when added (1.5e308 twice), so a
        // bound that subtracted any of them would pass the file.
        double big = 1.5e308;
        Crafted meanAndUser = new Crafted();
        meanAndUser.mean = big;
        meanAndUser.userBias = new double[] {big, 0};
        Crafted meanAndItem = new Crafted();
        meanAndItem.mean = big;
        meanAndItem.itemBias = new double[] {big, 0, 0};
        // Item bias and factors: rank 2 times 1e154 times 0.75e154 = 1.5e308.
        Crafted itemAndFactors = new Crafted();
        itemAndFactors.mean = 0;
        itemAndFactors.userBias = new double[2];
        itemAndFactors.itemBias = new double[] {big, 0, 0};
        itemAndFactors.u = new double[] {1e154, 0, 0, 0};
        itemAndFactors.p = new double[] {0.75e154, 0, 0, 0, 0, 0};
        for (Crafted c : new Crafted[] {meanAndUser, meanAndItem, itemAndFactors}) {
            String message = refused(c);
            assertTrue(message.endsWith("that predictions would overflow; no fit produces such a model"), message);
        }
        // Half of each is a valid model.
        Crafted half = new Crafted();
        half.mean = big / 2;
        half.userBias = new double[] {big / 2, 0};
        assertTrue(Double.isFinite(ModelFile.read(file(half)).predict("2", "10")));
    }
}
