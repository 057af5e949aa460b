package io.als.api;

import io.als.internal.AtomicFiles;
import io.als.internal.FileReasons;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * The model file format. Versions 1 to 4 are read. Version 4 is written for a model with BM25
 * confidences and version 3 for any other, so that builds which read only up to version 3
 * still read every model they could fit. Big-endian, in this order (version 4; version 3 is
 * the same without the BM25 parameters at the end of the implicit block, version 2 also
 * without flag bit 2 and its block):
 * <pre>
 *   8 bytes  magic "ALSMODEL"
 *   int      format version (4)
 *   int      rank k, int samples S (at least 1), int users, int items
 *   byte     flags: bit 0 biased, bit 1 training info follows, bit 2 implicit settings follow
 *            the info (only with bit 1)
 *   info     when flagged: text solver, int rank, text regularizer, double lambda,
 *            int iterations run, int iterations asked, long seed, text init, byte biased,
 *            int samples asked, double noise, text source, int users, int items, int ratings,
 *            double smallest rating, double largest rating
 *            (text: an int length and that many UTF-8 bytes)
 *   implicit when flagged: double alpha, byte confidence (0 linear, 1 log, 2 BM25), double epsilon,
 *            double unobserved weight, byte row solve (0 Cholesky, 1 CG, 2 CG in float),
 *            int CG steps, double nu, double BM25 k1, double BM25 b
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
    /** The newest version, written for a model that needs it (BM25 confidences); others are written as version 3. */
    public static final int VERSION = 4;
    /** The oldest version still read. */
    public static final int OLDEST_READABLE = 1;
    private static final int CHECKSUM_BYTES = Long.BYTES;
    private static final int FLAG_BIASED = 1;
    private static final int FLAG_INFO = 2;
    /** Version 3: the training info is followed by the implicit-feedback settings. */
    private static final int FLAG_IMPLICIT = 4;

    private ModelFile() {
    }

    public static void write(Model model, Path file) throws IOException {
        AtomicFiles.write(file, raw -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    new CheckedOutputStream(raw, crc), 1 << 16));
            out.write(MAGIC);
            int version = versionFor(model);
            out.writeInt(version);
            out.writeInt(model.rank());
            out.writeInt(model.samples());
            out.writeInt(model.userIds().size());
            out.writeInt(model.itemIds().size());
            TrainingInfo info = model.trainingInfo().orElse(null);
            boolean implicit = info != null && info.isImplicit();
            out.writeByte((model.biased() ? FLAG_BIASED : 0) | (info != null ? FLAG_INFO : 0)
                    | (implicit ? FLAG_IMPLICIT : 0));
            if (info != null) {
                writeInfo(out, info);
            }
            if (implicit) {
                writeImplicit(out, info.implicit(), version);
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

    /**
     * Reads a model file, checking before it trusts anything: the magic and the version
     * first (so that a file that is not a model, even an endless one such as
     * {@code /dev/zero}, fails after a few bytes), then the checksum, then the sizes the header
     * claims against the bytes the file holds (before any array is allocated), then the
     * structure: finite factors, biases and mean, strictly ascending ids, and a rated pattern
     * whose row pointers run from 0 up to its length and whose item indices are in range and
     * ascending within each row. Any failure is a {@link ModelFormatException} that names the
     * file and what is wrong.
     */
    public static Model read(Path file) throws IOException {
        return load(file).model();
    }

    /**
     * A model as {@link #read} reads it, with its file's format version and size, from one
     * read (so that a pipe, which can be read only once, can be described too).
     *
     * @param model   the model
     * @param version the file's format version
     * @param bytes   the file's size in bytes
     */
    public record Loaded(Model model, int version, long bytes) {
    }

    /** Reads a model as {@link #read} does, keeping its file's version and size. */
    public static Loaded load(Path file) throws IOException {
        String name = file.toString();
        byte[] bytes = readBytes(file, name);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.position(MAGIC.length);
        try {
            int version = buf.getInt();
            if (bytes.length < MAGIC.length + Integer.BYTES + CHECKSUM_BYTES) {
                throw new BufferUnderflowException();
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - CHECKSUM_BYTES);
            long stored = ByteBuffer.wrap(bytes, bytes.length - CHECKSUM_BYTES, CHECKSUM_BYTES).getLong();
            if (stored != crc.getValue()) {
                // The last bytes of a cut file are not a checksum, so its value is not worth showing.
                String shortfall = version >= 2 ? shortfall(bytes) : null;
                throw new ModelFormatException(name + ": model file is " + (shortfall != null ? "truncated: " + shortfall
                        : "corrupted or truncated: its " + bytes.length + " bytes do not match the CRC-32 checksum it"
                        + " ends with"));
            }
            buf.limit(bytes.length - CHECKSUM_BYTES);
            Model model = version == 1 ? readVersion1(buf, name) : readVersion2(buf, name, version);
            if (buf.hasRemaining()) {
                throw new ModelFormatException(name + ": " + buf.remaining() + " unexpected byte(s) after the model");
            }
            return new Loaded(model, version, bytes.length);
        } catch (BufferUnderflowException | ArithmeticException | IllegalArgumentException e) {
            if (e instanceof ModelFormatException) {
                throw e;
            }
            throw new ModelFormatException(name + ": model file is truncated or inconsistent ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
    }

    /**
     * The format version of a model file, read from its first bytes (for {@code als info});
     * the rest of the file is not checked.
     */
    public static int version(Path file) throws IOException {
        String name = file.toString();
        try (InputStream in = open(file, name)) {
            return header(in.readNBytes(HEADER_BYTES), name);
        } catch (IOException e) {
            throw cannotRead(file, name, e);
        }
    }

    /** Magic and version: what is read before anything else. */
    private static final int HEADER_BYTES = 8 + Integer.BYTES;
    /** The largest model file read: one Java array. */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 16;

    /** The whole file, after its magic and version passed; a file larger than {@link #MAX_FILE_BYTES} is refused. */
    private static byte[] readBytes(Path file, String name) {
        try (InputStream in = open(file, name)) {
            byte[] head = in.readNBytes(HEADER_BYTES);
            header(head, name);
            long size = Files.isRegularFile(file) ? Files.size(file) : -1;
            if (size > MAX_FILE_BYTES) {
                throw new ModelFormatException(name + ": is " + size + " bytes, more than the " + MAX_FILE_BYTES
                        + " bytes a model file can have");
            }
            byte[] rest = in.readNBytes((int) (size >= 0 ? size - HEADER_BYTES : MAX_FILE_BYTES - HEADER_BYTES));
            if (size < 0 && in.read() >= 0) {
                throw new ModelFormatException(name + ": holds more than the " + MAX_FILE_BYTES
                        + " bytes a model file can have");
            }
            byte[] all = Arrays.copyOf(head, HEADER_BYTES + rest.length);
            System.arraycopy(rest, 0, all, HEADER_BYTES, rest.length);
            return all;
        } catch (IOException e) {
            throw cannotRead(file, name, e);
        }
    }

    private static InputStream open(Path file, String name) throws IOException {
        if (Files.isDirectory(file)) {
            throw new ModelFormatException(name + ": is a directory, not a model file");
        }
        // A pipe (/dev/stdin) through a FileInputStream: the channel stream of Files.newInputStream
        // asks a pipe for its position when buffered, which fails with "Illegal seek".
        boolean pipe = Files.exists(file) && !Files.isRegularFile(file);
        return new BufferedInputStream(pipe ? new java.io.FileInputStream(file.toFile()) : Files.newInputStream(file),
                1 << 16);
    }

    private static ModelFormatException cannotRead(Path file, String name, IOException e) {
        if (e instanceof NoSuchFileException && FileReasons.nonDirectoryAncestor(file) == null) {
            return new ModelFormatException(name + ": model file not found");
        }
        return new ModelFormatException(name + ": cannot read the model file: " + FileReasons.reason(file, e));
    }

    /** Checks the magic and the version at the start of a file and returns the version. */
    private static int header(byte[] head, String name) {
        if (head.length < MAGIC.length || !Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ModelFormatException(name + ": not an als model file (no ALSMODEL header)");
        }
        if (head.length < HEADER_BYTES) {
            throw new ModelFormatException(name + ": model file is truncated (it ends inside its header)");
        }
        int version = ByteBuffer.wrap(head, MAGIC.length, Integer.BYTES).getInt();
        if (version < OLDEST_READABLE || version > VERSION) {
            throw new ModelFormatException(name + ": model file version " + version + " is not supported;"
                    + " this als reads versions " + supportedVersions()
                    + (version > VERSION ? " (the file was written by a newer als, or its header is damaged)"
                            : "; re-train the model with this version of als"));
        }
        return version;
    }

    /** "1 and 2", or "1 to 3" once there are more. */
    static String supportedVersions() {
        return OLDEST_READABLE + (VERSION - OLDEST_READABLE == 1 ? " and " : " to ") + VERSION;
    }

    private static Model readVersion1(ByteBuffer buf, String name) {
        int rank = positive(name, "rank", buf.getInt());
        int users = positive(name, "users", buf.getInt());
        int items = positive(name, "items", buf.getInt());
        requireSizes(buf, name, rank, 1, users, items);
        IdIndex userIds = readIds(buf, users, name, "user");
        IdIndex itemIds = readIds(buf, items, name, "item");
        double mean = finiteMean(buf.getDouble(), name);
        double[] userBias = readDoubles(buf, users);
        double[] itemBias = readDoubles(buf, items);
        double[] u = readDoubles(buf, Math.multiplyExact(users, rank));
        double[] p = readDoubles(buf, Math.multiplyExact(items, rank));
        requireFinite(name, "bias", "user", userIds, userBias, 1, 1);
        requireFinite(name, "bias", "item", itemIds, itemBias, 1, 1);
        requireFinite(name, "factor", "user", userIds, u, rank, 1);
        requireFinite(name, "factor", "item", itemIds, p, rank, 1);
        requireBoundedPredictions(name, mean, userBias, itemBias, u, p, rank);
        int[][] rated = readRated(buf, users, items, name);
        boolean biased = mean != 0 || !allZero(userBias) || !allZero(itemBias);
        return new Model(userIds, itemIds, rank, 1, biased, mean, u, p, userBias, itemBias, rated[0], rated[1], null);
    }

    /** Versions 2 and 3 (3 adds the implicit flag and block). */
    private static Model readVersion2(ByteBuffer buf, String name, int version) {
        int rank = positive(name, "rank", buf.getInt());
        int samples = positive(name, "samples", buf.getInt());
        int users = positive(name, "users", buf.getInt());
        int items = positive(name, "items", buf.getInt());
        int flags = buf.get();
        int allowed = version >= 3 ? FLAG_BIASED | FLAG_INFO | FLAG_IMPLICIT : FLAG_BIASED | FLAG_INFO;
        if ((flags & ~allowed) != 0) {
            throw new ModelFormatException(name + ": flags must use bits 0 to " + (version >= 3 ? 2 : 1)
                    + " only but were " + flags);
        }
        if ((flags & FLAG_IMPLICIT) != 0 && (flags & FLAG_INFO) == 0) {
            throw new ModelFormatException(name + ": the implicit flag needs the training info flag");
        }
        requireSizes(buf, name, rank, samples, users, items);
        TrainingInfo info = (flags & FLAG_INFO) != 0 ? readInfo(buf, name) : null;
        if ((flags & FLAG_IMPLICIT) != 0) {
            info = withImplicit(info, readImplicit(buf, name, version));
        }
        if (!Model.rankMatches(rank, samples, info)) {
            throw new ModelFormatException(name + ": the training info says rank " + info.rank()
                    + " but the model has rank " + rank + " (only a compressed sampled model may differ)");
        }
        requireSizes(buf, name, rank, samples, users, items);
        IdIndex userIds = readIds(buf, users, name, "user");
        IdIndex itemIds = readIds(buf, items, name, "item");
        double mean = finiteMean(buf.getDouble(), name);
        double[] userBias = readDoubles(buf, Math.multiplyExact(samples, users));
        double[] itemBias = readDoubles(buf, Math.multiplyExact(samples, items));
        int width = Math.multiplyExact(rank, samples);
        double[] u = readDoubles(buf, Math.multiplyExact(users, width));
        double[] p = readDoubles(buf, Math.multiplyExact(items, width));
        requireFinite(name, "bias", "user", userIds, userBias, 1, samples);
        requireFinite(name, "bias", "item", itemIds, itemBias, 1, samples);
        requireFinite(name, "factor", "user", userIds, u, rank, samples);
        requireFinite(name, "factor", "item", itemIds, p, rank, samples);
        requireBoundedPredictions(name, mean, userBias, itemBias, u, p, width);
        boolean biased = (flags & FLAG_BIASED) != 0;
        if (!biased && (mean != 0 || !allZero(userBias) || !allZero(itemBias))) {
            throw new ModelFormatException(name + ": the model is flagged unbiased but has a non-zero mean or bias");
        }
        int[][] rated = readRated(buf, users, items, name);
        return new Model(userIds, itemIds, rank, samples, biased, mean, u, p, userBias, itemBias,
                rated[0], rated[1], info);
    }

    /**
     * Compares what the header's dimensions need with what is left of the file, before
     * anything of that size is allocated: the ids (at least 4 bytes each, as empty text), the
     * mean, the biases, the factors and the rated pattern's row pointers.
     */
    /**
     * Why a version-2-or-later file whose checksum failed is too short for its own header (the
     * header cut off, or fewer bytes than its sizes need), or null when it is not.
     */
    private static String shortfall(byte[] bytes) {
        int header = HEADER_BYTES + 4 * Integer.BYTES + 1;
        if (bytes.length < header + CHECKSUM_BYTES) {
            return "it has " + bytes.length + " bytes, fewer than its header and checksum take";
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, HEADER_BYTES, 4 * Integer.BYTES);
        int rank = b.getInt();
        int samples = b.getInt();
        int users = b.getInt();
        int items = b.getInt();
        if (rank <= 0 || samples <= 0 || users <= 0 || items <= 0) {
            return null;
        }
        double need = header + minimumBytes(rank, samples, users, items) + CHECKSUM_BYTES;
        return need > bytes.length ? String.format(java.util.Locale.ROOT, "it has %d bytes, but its header's %d users"
                + " and %d items of rank %d need at least %.0f", bytes.length, users, items, rank, need) : null;
    }

    /** The fewest bytes the ids, numbers and rated pattern of a model of these sizes take. */
    private static double minimumBytes(int rank, int samples, int users, int items) {
        double rows = (double) users + items;
        double ids = 2 + 4 * rows;
        double doubles = 1 + samples * rows + (double) rank * samples * rows;
        return ids + 8 * doubles + 4 + 4.0 * (users + 1.0);
    }

    private static void requireSizes(ByteBuffer buf, String name, int rank, int samples, int users, int items) {
        double need = minimumBytes(rank, samples, users, items);
        if (need > buf.remaining()) {
            throw new ModelFormatException(String.format(java.util.Locale.ROOT, "%s: the header claims %d users and %d"
                    + " items of rank %d (%d sample(s)), which need at least %.0f more bytes, but only %d are left in"
                    + " the file; it is truncated or not a valid model", name, users, items, rank, samples, need,
                    buf.remaining()));
        }
    }

    /**
     * Checks that no prediction can overflow: finite numbers can still be so large that a dot
     * product of them is infinite (or NaN, infinity minus infinity). The bound is the mean plus
     * the largest biases plus {@code width} times the largest user and item factors.
     */
    private static void requireBoundedPredictions(String name, double mean, double[] userBias, double[] itemBias,
                                                  double[] u, double[] p, int width) {
        double bound = Math.abs(mean) + maxAbs(userBias) + maxAbs(itemBias) + width * maxAbs(u) * maxAbs(p);
        if (!Double.isFinite(bound)) {
            throw new ModelFormatException(name + ": its factors and biases are so large (up to " + Math.max(
                    Math.max(maxAbs(u), maxAbs(p)), Math.max(maxAbs(userBias), maxAbs(itemBias)))
                    + ") that predictions would overflow; no fit produces such a model");
        }
    }

    private static double maxAbs(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double finiteMean(double mean, String name) {
        if (!Double.isFinite(mean)) {
            throw new ModelFormatException(name + ": the global mean must be finite but is " + mean);
        }
        return mean;
    }

    /**
     * Checks that every value is finite; {@code values} holds {@code samples} blocks side by
     * side per row for factors ({@code width = rank}), or sample after sample for biases
     * ({@code width = 1}).
     */
    private static void requireFinite(String name, String what, String side, IdIndex ids, double[] values,
                                      int width, int samples) {
        for (int k = 0; k < values.length; k++) {
            if (!Double.isFinite(values[k])) {
                int row;
                String at;
                if (width == 1) {
                    row = k % ids.size();
                    at = samples > 1 ? " (sample " + (k / ids.size() + 1) + ")" : "";
                } else {
                    int rowWidth = width * samples;
                    row = k / rowWidth;
                    int col = k % rowWidth;
                    at = " (" + (samples > 1 ? "sample " + (col / width + 1) + ", " : "") + "column " + (col % width + 1)
                            + ")";
                }
                throw new ModelFormatException(name + ": the " + what + " of " + side + " '" + ids.idAt(row) + "'" + at
                        + " is " + values[k] + "; a model's numbers must be finite");
            }
        }
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

    /** 4 for a model with BM25 confidences, else 3 (what the builds before BM25 wrote and read). */
    static int versionFor(Model model) {
        ImplicitFeedback f = model.trainingInfo().map(TrainingInfo::implicit).orElse(null);
        return f != null && f.confidence() == ImplicitFeedback.Confidence.BM25 ? 4 : 3;
    }

    private static void writeImplicit(DataOutputStream out, ImplicitFeedback f, int version) throws IOException {
        out.writeDouble(f.alpha());
        out.writeByte(f.confidence().ordinal());
        out.writeDouble(f.epsilon());
        out.writeDouble(f.unobservedWeight());
        out.writeByte(f.rowSolve().ordinal());
        out.writeInt(f.cgSteps());
        out.writeDouble(f.nu());
        if (version >= 4) {
            out.writeDouble(f.bm25K1());
            out.writeDouble(f.bm25B());
        }
    }

    private static ImplicitFeedback readImplicit(ByteBuffer buf, String name, int version) {
        double alpha = buf.getDouble();
        int confidence = buf.get();
        double epsilon = buf.getDouble();
        double alpha0 = buf.getDouble();
        int solve = buf.get();
        int steps = buf.getInt();
        double nu = buf.getDouble();
        // Version 3 had no BM25 confidence, so its parameters are the defaults there.
        double k1 = version >= 4 ? buf.getDouble() : ImplicitFeedback.BM25_K1;
        double b = version >= 4 ? buf.getDouble() : ImplicitFeedback.BM25_B;
        if (version < 4 && confidence == ImplicitFeedback.Confidence.BM25.ordinal()) {
            throw new ModelFormatException(name + ": the implicit settings name confidence " + confidence
                    + ", which format version " + version + " does not have");
        }
        if (confidence < 0 || confidence >= ImplicitFeedback.Confidence.values().length
                || solve < 0 || solve >= ImplicitFeedback.RowSolve.values().length) {
            throw new ModelFormatException(name + ": the implicit settings name confidence " + confidence
                    + " and solve " + solve + ", which this als does not know");
        }
        try {
            return new ImplicitFeedback(alpha, ImplicitFeedback.Confidence.values()[confidence], epsilon, alpha0,
                    ImplicitFeedback.RowSolve.values()[solve], steps, nu, k1, b);
        } catch (ConfigurationException e) {
            throw new ModelFormatException(name + ": the implicit settings are invalid: " + e.getMessage());
        }
    }

    private static TrainingInfo withImplicit(TrainingInfo i, ImplicitFeedback f) {
        return new TrainingInfo(i.solver(), i.rank(), i.regularizer(), i.lambda(), i.iterationsRun(),
                i.iterationsAsked(), i.seed(), i.init(), i.biased(), i.samples(), i.noise(), i.source(), i.users(),
                i.items(), i.ratings(), i.scale(), f);
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
                    + " but was '" + shown(init) + "'");
        }
        for (String[] text : new String[][] {{"solver", solver}, {"regularizer", regularizer}}) {
            if (text[1].isEmpty() || !text[1].equals(shown(text[1]))) {
                throw new ModelFormatException(name + ": the " + text[0] + "'s name must be printable text of at most "
                        + SHOWN + " characters but was '" + shown(text[1]) + "'");
            }
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
        double lo = buf.getDouble();
        double hi = buf.getDouble();
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
            throw new ModelFormatException(name + ": the training rating scale must be finite with its smallest value"
                    + " first but is " + lo + ".." + hi);
        }
        if (!Double.isFinite(lambda) || lambda < 0 || !Double.isFinite(noise) || noise < 0) {
            throw new ModelFormatException(name + ": the training info's lambda and noise must be finite and"
                    + " non-negative but are " + lambda + " and " + noise);
        }
        RatingScale scale = new RatingScale(lo, hi);
        return new TrainingInfo(solver, rank, regularizer, lambda, run, asked, seed, initialization, biased == 1,
                samples, noise, source, users, items, ratings, scale);
    }

    /**
     * The rated pattern: row pointers from 0, never decreasing, ending at the count; item
     * indices within {@code 0..items-1} and strictly ascending within each user's row, as
     * {@link Ratings} builds them.
     */
    private static int[][] readRated(ByteBuffer buf, int users, int items, String name) {
        int nnz = buf.getInt();
        if (nnz < 0) {
            throw new ModelFormatException(name + ": rated count must be non-negative but was " + nnz);
        }
        int[] ptr = readInts(buf, users + 1);
        int[] idx = readInts(buf, nnz);
        if (ptr[0] != 0) {
            throw new ModelFormatException(name + ": the rated pattern's first row pointer must be 0 but is " + ptr[0]);
        }
        for (int u = 0; u < users; u++) {
            if (ptr[u + 1] < ptr[u] || ptr[u + 1] > nnz) {
                throw new ModelFormatException(name + ": the rated pattern's row pointers must rise from 0 to " + nnz
                        + " but row " + u + " runs from " + ptr[u] + " to " + ptr[u + 1]);
            }
        }
        if (ptr[users] != nnz) {
            throw new ModelFormatException(name + ": the rated pattern's last row pointer must be the count " + nnz
                    + " but is " + ptr[users]);
        }
        for (int u = 0; u < users; u++) {
            for (int e = ptr[u]; e < ptr[u + 1]; e++) {
                if (idx[e] < 0 || idx[e] >= items) {
                    throw new ModelFormatException(name + ": rated item index " + idx[e] + " of user row " + u
                            + " is outside 0.." + (items - 1));
                }
                if (e > ptr[u] && idx[e] <= idx[e - 1]) {
                    throw new ModelFormatException(name + ": rated item indices of user row " + u
                            + " must be strictly ascending but " + idx[e] + " follows " + idx[e - 1]);
                }
            }
        }
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

    /** The most characters of a name stored in a file that a message shows. */
    private static final int SHOWN = 64;

    /** A name read from a file as a message shows it ({@link io.als.internal.Texts#escaped}). */
    static String shown(String s) {
        return io.als.internal.Texts.escaped(s, SHOWN, true);
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

    /**
     * Ids as the writer stores them: strictly ascending (numeric order, or {@link String}
     * order for text), since a row's position is its index. Anything else would relabel rows.
     */
    private static IdIndex readIds(ByteBuffer buf, int n, String name, String side) {
        int kind = buf.get();
        if (kind == 0) {
            if ((long) n * Long.BYTES > buf.remaining()) {
                throw new BufferUnderflowException();
            }
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = buf.getLong();
                if (i > 0 && ids[i] <= ids[i - 1]) {
                    throw unordered(name, side, i, Long.toString(ids[i]), Long.toString(ids[i - 1]));
                }
            }
            return IdIndex.sortedNumeric(ids);
        }
        if (kind != 1) {
            throw new ModelFormatException(name + ": id kind must be 0 or 1 but was " + kind);
        }
        if ((long) n * Integer.BYTES > buf.remaining()) {
            throw new BufferUnderflowException();
        }
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = readText(buf);
            if (i > 0 && ids[i].compareTo(ids[i - 1]) <= 0) {
                throw unordered(name, side, i, "'" + ids[i] + "'", "'" + ids[i - 1] + "'");
            }
        }
        return IdIndex.sortedStrings(ids);
    }

    private static ModelFormatException unordered(String name, String side, int i, String id, String previous) {
        return new ModelFormatException(name + ": " + side + " ids must be strictly ascending, as they are written,"
                + " but " + side + " " + id + " (row " + i + ") follows " + previous);
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
