package io.als.api;

import io.als.internal.AtomicFiles;
import io.als.spi.FactorMatrix;
import io.als.api.IdIndex;
import io.als.api.Model;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The model file format, version 1. Big-endian, in this order:
 * <pre>
 *   8 bytes  magic "ALSMODEL"
 *   int      format version (1)
 *   int      rank, int users, int items
 *   ids      users, then items: byte kind (0 numeric: a long each; 1 text: an int length and UTF-8 bytes each)
 *   double   global mean; doubles: user biases, item biases
 *   doubles  user factors (users x rank, row-major), item factors (items x rank)
 *   int      number of rated (user, item) pairs; ints: row pointers (users + 1), item indices
 *   long     CRC-32 of every byte before it
 * </pre>
 * Writes are atomic ({@link AtomicFiles}). Reading checks the magic, the version, the
 * dimensions and the checksum, and fails with a {@link ModelFormatException} that says which.
 * A saved and loaded model predicts bit-identically.
 */
public final class ModelFile {
    static final byte[] MAGIC = "ALSMODEL".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    private static final int CHECKSUM_BYTES = Long.BYTES;

    private ModelFile() {
    }

    public static void write(Model model, Path file) throws IOException {
        AtomicFiles.write(file, raw -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    new java.util.zip.CheckedOutputStream(raw, crc), 1 << 16));
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(model.rank());
            out.writeInt(model.userIds().size());
            out.writeInt(model.itemIds().size());
            writeIds(out, model.userIds());
            writeIds(out, model.itemIds());
            out.writeDouble(model.globalMean());
            writeDoubles(out, model.userBiases());
            writeDoubles(out, model.itemBiases());
            writeDoubles(out, model.userFactors().data());
            writeDoubles(out, model.itemFactors().data());
            int[] ptr = model.ratedPointers();
            int[] idx = model.ratedIndices();
            out.writeInt(idx.length);
            for (int p : ptr) {
                out.writeInt(p);
            }
            for (int i : idx) {
                out.writeInt(i);
            }
            out.flush();
            // The checksum covers what came before it, so it is written outside the checked stream.
            new DataOutputStream(raw).writeLong(crc.getValue());
        });
    }

    public static Model read(Path file) throws IOException {
        String name = file.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new ModelFormatException(name + ": is a directory, not a model file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(name + ": model file not found");
        }
        if (bytes.length < MAGIC.length || !java.util.Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ModelFormatException(name + ": not an als model file (no ALSMODEL header)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.position(MAGIC.length);
        try {
            int version = buf.getInt();
            if (version != VERSION) {
                throw new ModelFormatException(name + ": model file version must be " + VERSION + " but was " + version
                        + "; re-train the model with this version of als");
            }
            if (bytes.length < MAGIC.length + Integer.BYTES + CHECKSUM_BYTES) {
                throw new BufferUnderflowException();
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - CHECKSUM_BYTES);
            long stored = ByteBuffer.wrap(bytes, bytes.length - CHECKSUM_BYTES, CHECKSUM_BYTES).getLong();
            if (stored != crc.getValue()) {
                throw new ModelFormatException(name + ": model file is corrupted or truncated (checksum "
                        + Long.toHexString(crc.getValue()) + " but the file records " + Long.toHexString(stored) + ")");
            }
            buf.limit(bytes.length - CHECKSUM_BYTES);
            int rank = positive(name, "rank", buf.getInt());
            int users = positive(name, "users", buf.getInt());
            int items = positive(name, "items", buf.getInt());
            IdIndex userIds = readIds(buf, users, name);
            IdIndex itemIds = readIds(buf, items, name);
            double mean = buf.getDouble();
            double[] userBias = readDoubles(buf, users);
            double[] itemBias = readDoubles(buf, items);
            double[] u = readDoubles(buf, Math.multiplyExact(users, rank));
            double[] p = readDoubles(buf, Math.multiplyExact(items, rank));
            int nnz = buf.getInt();
            if (nnz < 0) {
                throw new ModelFormatException(name + ": rated count must be non-negative but was " + nnz);
            }
            int[] ptr = readInts(buf, users + 1);
            int[] idx = readInts(buf, nnz);
            if (buf.hasRemaining()) {
                throw new ModelFormatException(name + ": " + buf.remaining() + " unexpected byte(s) after the model");
            }
            return new Model(userIds, itemIds, FactorMatrix.of(users, rank, u), FactorMatrix.of(items, rank, p),
                    mean, userBias, itemBias, ptr, idx);
        } catch (BufferUnderflowException | ArithmeticException | IllegalArgumentException e) {
            if (e instanceof ModelFormatException) {
                throw e;
            }
            throw new ModelFormatException(name + ": model file is truncated or inconsistent ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
    }

    private static int positive(String name, String what, int v) {
        if (v <= 0) {
            throw new ModelFormatException(name + ": " + what + " must be positive but was " + v);
        }
        return v;
    }

    private static void writeIds(DataOutputStream out, IdIndex ids) throws IOException {
        out.writeByte(ids.isNumeric() ? 0 : 1);
        for (int i = 0; i < ids.size(); i++) {
            if (ids.isNumeric()) {
                out.writeLong(ids.numericIdAt(i));
            } else {
                byte[] b = ids.idAt(i).getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
        }
    }

    private static IdIndex readIds(ByteBuffer buf, int n, String name) {
        int kind = buf.get();
        if (kind == 0) {
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = buf.getLong();
            }
            return IdIndex.ofNumeric(ids);
        }
        if (kind != 1) {
            throw new ModelFormatException(name + ": id kind must be 0 or 1 but was " + kind);
        }
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            int len = buf.getInt();
            if (len < 0 || len > buf.remaining()) {
                throw new BufferUnderflowException();
            }
            byte[] b = new byte[len];
            buf.get(b);
            ids[i] = new String(b, StandardCharsets.UTF_8);
        }
        return IdIndex.ofStrings(ids);
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private static double[] readDoubles(ByteBuffer buf, int n) {
        if ((long) n * Double.BYTES > buf.remaining()) {
            throw new BufferUnderflowException();
        }
        double[] out = new double[n];
        buf.asDoubleBuffer().get(out);
        buf.position(buf.position() + n * Double.BYTES);
        return out;
    }

    private static int[] readInts(ByteBuffer buf, int n) {
        if ((long) n * Integer.BYTES > buf.remaining()) {
            throw new BufferUnderflowException();
        }
        int[] out = new int[n];
        buf.asIntBuffer().get(out);
        buf.position(buf.position() + n * Integer.BYTES);
        return out;
    }
}
