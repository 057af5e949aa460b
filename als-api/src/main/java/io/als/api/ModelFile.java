package io.als.api;

import io.als.internal.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * The model file format. Version 2 is written; versions 1 and 2 are read. Big-endian, in this
 * order (version 2):
 * <pre>
 *   8 bytes  magic "ALSMODEL"
 *   int      format version (2)
 *   int      rank k, int samples S (at least 1), int users, int items
 *   byte     flags: bit 0 biased, bit 1 training info follows
 *   info     when flagged: text solver, int rank, text regularizer, double lambda,
 *            int iterations run, int iterations asked, long seed, text init, byte biased,
 *            int samples asked, double noise, text source, int users, int items, int ratings,
 *            double smallest rating, double largest rating
 *            (text: an int length and that many UTF-8 bytes)
 *   ids      users, then items: byte kind (0 numeric: a long each; 1 text: a text each)
 *   double   global mean
 *   doubles  user biases, S x users (sample after sample), item biases, S x items
 *   doubles  user factors, users x (S k) row-major: sample s in columns s k .. s k + k - 1;
 *            item factors, items x (S k), likewise (unscaled: the model divides by S)
 *   int      number of rated (user, item) pairs; ints: row pointers (users + 1), item indices
 *   long     CRC-32 of every byte before it
 * </pre>
 * Version 1 had no samples count, flags or info and one bias per user and item:
 * magic, version (1), rank, users, items, ids, mean, user biases, item biases, user factors
 * (users x rank), item factors, the rated pattern, the CRC. A sampled model was stored as one
 * factorisation of rank {@code S k} whose factors were scaled by {@code 1/sqrt(S)}; such a
 * file reads as a one-sample model of that rank, which predicts exactly as before. A
 * version-1 model is biased when its mean or a bias is non-zero, and has no training info.
 *
 * <p>Writes are atomic ({@link AtomicFiles}). Reading checks the magic, the version, the
 * checksum and the dimensions, and fails with a {@link ModelFormatException} that names the
 * file and says which. A saved and loaded model predicts bit-identically.
 */
public final class ModelFile {
    static final byte[] MAGIC = "ALSMODEL".getBytes(StandardCharsets.US_ASCII);
    /** The version written. */
    public static final int VERSION = 2;
    /** The oldest version still read. */
    public static final int OLDEST_READABLE = 1;
    private static final int CHECKSUM_BYTES = Long.BYTES;
    private static final int FLAG_BIASED = 1;
    private static final int FLAG_INFO = 2;

    private ModelFile() {
    }

    public static void write(Model model, Path file) throws IOException {
        AtomicFiles.write(file, raw -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    new CheckedOutputStream(raw, crc), 1 << 16));
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(model.rank());
            out.writeInt(model.samples());
            out.writeInt(model.userIds().size());
            out.writeInt(model.itemIds().size());
            TrainingInfo info = model.trainingInfo().orElse(null);
            out.writeByte((model.biased() ? FLAG_BIASED : 0) | (info != null ? FLAG_INFO : 0));
            if (info != null) {
                writeInfo(out, info);
            }
            writeIds(out, model.userIds());
            writeIds(out, model.itemIds());
            out.writeDouble(model.globalMean());
            writeDoubles(out, model.userBiasSamples());
            writeDoubles(out, model.itemBiasSamples());
            writeDoubles(out, model.usersSideBySide());
            writeDoubles(out, model.itemsSideBySide());
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
        if (bytes.length < MAGIC.length || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ModelFormatException(name + ": not an als model file (no ALSMODEL header)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.position(MAGIC.length);
        try {
            int version = buf.getInt();
            if (version < OLDEST_READABLE || version > VERSION) {
                throw new ModelFormatException(name + ": model file version " + version + " is not supported;"
                        + " this als reads versions " + supportedVersions()
                        + (version > VERSION ? " (the file was written by a newer als)"
                                : "; re-train the model with this version of als"));
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
            Model model = version == 1 ? readVersion1(buf, name) : readVersion2(buf, name);
            if (buf.hasRemaining()) {
                throw new ModelFormatException(name + ": " + buf.remaining() + " unexpected byte(s) after the model");
            }
            return model;
        } catch (BufferUnderflowException | ArithmeticException | IllegalArgumentException e) {
            if (e instanceof ModelFormatException) {
                throw e;
            }
            throw new ModelFormatException(name + ": model file is truncated or inconsistent ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
    }

    /** "1 and 2", or "1 to 3" once there are more. */
    static String supportedVersions() {
        return OLDEST_READABLE + (VERSION - OLDEST_READABLE == 1 ? " and " : " to ") + VERSION;
    }

    private static Model readVersion1(ByteBuffer buf, String name) {
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
        int[][] rated = readRated(buf, users, name);
        boolean biased = mean != 0 || !allZero(userBias) || !allZero(itemBias);
        return new Model(userIds, itemIds, rank, 1, biased, mean, u, p, userBias, itemBias, rated[0], rated[1], null);
    }

    private static Model readVersion2(ByteBuffer buf, String name) {
        int rank = positive(name, "rank", buf.getInt());
        int samples = positive(name, "samples", buf.getInt());
        int users = positive(name, "users", buf.getInt());
        int items = positive(name, "items", buf.getInt());
        int flags = buf.get();
        if ((flags & ~(FLAG_BIASED | FLAG_INFO)) != 0) {
            throw new ModelFormatException(name + ": flags must use bits 0 and 1 only but were " + flags);
        }
        TrainingInfo info = (flags & FLAG_INFO) != 0 ? readInfo(buf, name) : null;
        IdIndex userIds = readIds(buf, users, name);
        IdIndex itemIds = readIds(buf, items, name);
        double mean = buf.getDouble();
        double[] userBias = readDoubles(buf, Math.multiplyExact(samples, users));
        double[] itemBias = readDoubles(buf, Math.multiplyExact(samples, items));
        int width = Math.multiplyExact(rank, samples);
        double[] u = readDoubles(buf, Math.multiplyExact(users, width));
        double[] p = readDoubles(buf, Math.multiplyExact(items, width));
        int[][] rated = readRated(buf, users, name);
        return new Model(userIds, itemIds, rank, samples, (flags & FLAG_BIASED) != 0, mean, u, p, userBias, itemBias,
                rated[0], rated[1], info);
    }

    private static void writeInfo(DataOutputStream out, TrainingInfo info) throws IOException {
        writeText(out, info.solver());
        out.writeInt(info.rank());
        writeText(out, info.regularizer());
        out.writeDouble(info.lambda());
        out.writeInt(info.iterationsRun());
        out.writeInt(info.iterationsAsked());
        out.writeLong(info.seed());
        writeText(out, info.init().name());
        out.writeByte(info.biased() ? 1 : 0);
        out.writeInt(info.samples());
        out.writeDouble(info.noise());
        writeText(out, info.source());
        out.writeInt(info.users());
        out.writeInt(info.items());
        out.writeInt(info.ratings());
        out.writeDouble(info.scale().min());
        out.writeDouble(info.scale().max());
    }

    private static TrainingInfo readInfo(ByteBuffer buf, String name) {
        String solver = readText(buf);
        int rank = buf.getInt();
        String regularizer = readText(buf);
        double lambda = buf.getDouble();
        int run = buf.getInt();
        int asked = buf.getInt();
        long seed = buf.getLong();
        String init = readText(buf);
        Initialization initialization;
        try {
            initialization = Initialization.valueOf(init);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(name + ": init must be one of " + Arrays.toString(Initialization.values())
                    + " but was " + init);
        }
        int biased = buf.get();
        if (biased != 0 && biased != 1) {
            throw new ModelFormatException(name + ": biased must be 0 or 1 but was " + biased);
        }
        int samples = buf.getInt();
        double noise = buf.getDouble();
        String source = readText(buf);
        int users = buf.getInt();
        int items = buf.getInt();
        int ratings = buf.getInt();
        RatingScale scale = new RatingScale(buf.getDouble(), buf.getDouble());
        return new TrainingInfo(solver, rank, regularizer, lambda, run, asked, seed, initialization, biased == 1,
                samples, noise, source, users, items, ratings, scale);
    }

    private static int[][] readRated(ByteBuffer buf, int users, String name) {
        int nnz = buf.getInt();
        if (nnz < 0) {
            throw new ModelFormatException(name + ": rated count must be non-negative but was " + nnz);
        }
        int[] ptr = readInts(buf, users + 1);
        int[] idx = readInts(buf, nnz);
        return new int[][] {ptr, idx};
    }

    private static int positive(String name, String what, int v) {
        if (v <= 0) {
            throw new ModelFormatException(name + ": " + what + " must be positive but was " + v);
        }
        return v;
    }

    private static boolean allZero(double[] values) {
        for (double v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readText(ByteBuffer buf) {
        int len = buf.getInt();
        if (len < 0 || len > buf.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] b = new byte[len];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeIds(DataOutputStream out, IdIndex ids) throws IOException {
        out.writeByte(ids.isNumeric() ? 0 : 1);
        for (int i = 0; i < ids.size(); i++) {
            if (ids.isNumeric()) {
                out.writeLong(ids.numericIdAt(i));
            } else {
                writeText(out, ids.idAt(i));
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
            ids[i] = readText(buf);
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
