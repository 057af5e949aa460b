package io.als.spark;

import io.als.api.AlsConfig;
import io.als.api.IdIndex;
import io.als.api.Model;
import io.als.api.Regularizer;
import io.als.api.TrainingInfo;
import io.als.spi.FactorMatrix;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A finished Spark fit: the factors stay distributed (persisted) until {@link #close()}.
 * {@link #userFactors()} and {@link #itemFactors()} give them as DataFrames, as Spark MLlib's
 * {@code ALSModel} does; {@link #model()} collects them into the library's {@link Model}, which
 * {@link io.als.api.ModelFile} saves for {@code ./als predict} and {@code recommend}.
 */
public final class SparkFit implements AutoCloseable {
    /** The column of the ids in the factor DataFrames. */
    public static final String ID = "id";
    /** The column of the factors (an array of doubles) in the factor DataFrames. */
    public static final String FEATURES = "features";
    /** The column of the biases in the factor DataFrames of a biased fit. */
    public static final String BIAS = "bias";

    private final SparkSession spark;
    private final AlsConfig config;
    private final String solver;
    private final IdTables ids;
    private final SparkRatings.Indexed ratings;
    private final Layout layout;
    private final JavaRDD<Factors> users;
    private final JavaRDD<Factors> items;
    private final int iterations;
    private final double[] loss;
    private final Path tempCheckpoints;
    private final List<String> checkpointFiles;
    private final List<Broadcast<?>> broadcasts;
    private Model model;

    SparkFit(SparkSession spark, AlsConfig config, String solver, IdTables ids, SparkRatings.Indexed ratings,
             Layout layout, JavaRDD<Factors> users, JavaRDD<Factors> items, int iterations, double[] loss,
             Path tempCheckpoints, List<String> checkpointFiles, List<Broadcast<?>> broadcasts) {
        this.spark = spark;
        this.config = config;
        this.solver = solver;
        this.ids = ids;
        this.ratings = ratings;
        this.layout = layout;
        this.users = users;
        this.items = items;
        this.iterations = iterations;
        this.loss = loss;
        this.tempCheckpoints = tempCheckpoints;
        this.checkpointFiles = checkpointFiles;
        this.broadcasts = broadcasts;
    }

    /** The blocks the user side was cut into (the item side is cut into as many). */
    public int blocks() {
        return layout.userPartitioner().numPartitions();
    }

    /** ALS iterations run (fewer than asked when the tolerance stopped the fit). */
    public int iterations() {
        return iterations;
    }

    /** Squared error of the training ratings after the last iteration. */
    public double sse() {
        return loss[0];
    }

    /** The objective after the last iteration: squared error plus both penalties. */
    public double objective() {
        return loss[1];
    }

    /** Number of training ratings. */
    public long ratings() {
        return ratings.count();
    }

    /** Root mean squared error on the training ratings after the last iteration. */
    public double trainingRmse() {
        return Math.sqrt(loss[0] / ratings.count());
    }

    /**
     * The user factors: columns {@value #ID} (long or string, as the ids are),
     * {@value #FEATURES} (array of doubles, the rank) and, for a biased fit, {@value #BIAS}.
     */
    public Dataset<Row> userFactors() {
        return frame(layout.users(), users, ids.users());
    }

    /** The item factors, in the layout of {@link #userFactors()}. */
    public Dataset<Row> itemFactors() {
        return frame(layout.items(), items, ids.items());
    }

    private Dataset<Row> frame(JavaRDD<Block> blocks, JavaRDD<Factors> factors, IdTable table) {
        int k = config.rank();
        boolean biased = config.biased();
        JavaRDD<Row> rows = blocks.zipPartitions(factors, (bs, fs) -> {
            if (!bs.hasNext()) {
                return Collections.emptyIterator();
            }
            Block b = bs.next();
            Factors f = fs.next();
            List<Row> out = new ArrayList<>(b.rows.length);
            for (int r = 0; r < b.rows.length; r++) {
                // An array column takes a Scala Seq.
                Object features = scala.collection.immutable.ArraySeq.unsafeWrapArray(
                        java.util.Arrays.copyOfRange(f.data, r * f.width, r * f.width + k));
                Object id = table.valueAt(b.rows[r]);
                out.add(biased ? RowFactory.create(id, features, f.data[r * f.width + k])
                        : RowFactory.create(id, features));
            }
            return out.iterator();
        });
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(ID, table.isNumeric() ? DataTypes.LongType : DataTypes.StringType,
                false));
        fields.add(DataTypes.createStructField(FEATURES, DataTypes.createArrayType(DataTypes.DoubleType, false),
                false));
        if (biased) {
            fields.add(DataTypes.createStructField(BIAS, DataTypes.DoubleType, false));
        }
        return spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0])));
    }

    /**
     * The fitted model, collected to the driver (factors, biases, and the pattern of the training
     * ratings, which recommendations leave out: the driver needs memory for all of them). Built
     * once; later calls return the same model.
     */
    public synchronized Model model() {
        if (model == null) {
            model = collect();
        }
        return model;
    }

    /** One block's rows and their values, as collected to the driver. */
    private record Part(int block, int[] rows, int width, double[] data, int[] ptr, int[] columns)
            implements Serializable {
    }

    private Model collect() {
        int k = config.rank();
        boolean biased = config.biased();
        IdIndex userIds = ids.users().toIndex();
        IdIndex itemIds = ids.items().toIndex();
        FactorMatrix u = new FactorMatrix(userIds.size(), k);
        FactorMatrix p = new FactorMatrix(itemIds.size(), k);
        double[] bu = new double[userIds.size()];
        double[] bi = new double[itemIds.size()];
        List<Part> userParts = parts(layout.users(), users, true);
        List<Part> itemParts = parts(layout.items(), items, false);
        // The rated pattern, by user: every user's items, increasing (a block's columns are sorted).
        int[] ptr = new int[userIds.size() + 1];
        for (Part part : userParts) {
            for (int r = 0; r < part.rows.length; r++) {
                ptr[part.rows[r] + 1] = part.ptr[r + 1] - part.ptr[r];
            }
        }
        for (int r = 0; r < userIds.size(); r++) {
            ptr[r + 1] += ptr[r];
        }
        int[] idx = new int[ptr[userIds.size()]];
        for (Part part : userParts) {
            place(part, u, bu, k);
            for (int r = 0; r < part.rows.length; r++) {
                System.arraycopy(part.columns, part.ptr[r], idx, ptr[part.rows[r]], part.ptr[r + 1] - part.ptr[r]);
            }
        }
        for (Part part : itemParts) {
            place(part, p, bi, k);
        }
        Regularizer reg = config.regularizer();
        TrainingInfo info = new TrainingInfo(solver, k, reg.name(), reg.lambda(), iterations, config.iterations(),
                config.seed(), config.init(), biased, 0, config.noise(), ids.source(), userIds.size(), itemIds.size(),
                Math.toIntExact(ratings.count()), ratings.scale(), config.implicit());
        Model.Builder b = Model.builder(userIds, itemIds, k, 1).rated(ptr, idx).training(info);
        if (biased) {
            b.biased(ratings.mean()).addSample(u, p, bu, bi);
        } else {
            b.addSample(u, p);
        }
        return b.build();
    }

    /** Copies a block's factors (and biases) into the whole matrix. */
    private static void place(Part part, FactorMatrix into, double[] biases, int k) {
        double[] d = into.data();
        for (int r = 0; r < part.rows.length; r++) {
            System.arraycopy(part.data, r * part.width, d, part.rows[r] * k, k);
            if (part.width > k) {
                biases[part.rows[r]] = part.data[r * part.width + k];
            }
        }
    }

    private static List<Part> parts(JavaRDD<Block> blocks, JavaRDD<Factors> factors, boolean pattern) {
        List<Part> parts = new ArrayList<>(blocks.zipPartitions(factors, (bs, fs) -> {
            if (!bs.hasNext()) {
                return Collections.<Part>emptyIterator();
            }
            Block b = bs.next();
            Factors f = fs.next();
            int[] columns = null;
            if (pattern) {
                columns = new int[b.col.length];
                for (int e = 0; e < columns.length; e++) {
                    columns[e] = b.needed[b.col[e]];
                }
            }
            return Collections.singletonList(new Part(b.id, b.rows, f.width, f.data, pattern ? b.ptr : null,
                    columns)).iterator();
        }).collect());
        parts.sort(Comparator.comparingInt(Part::block));
        return parts;
    }

    /**
     * Releases the persisted blocks and factors, the broadcasts, the fit's last checkpoint, and a
     * temporary checkpoint directory. The factor DataFrames cannot be used afterwards.
     */
    /** The checkpoint folder this fit's context made for it, removed on close when empty (or null). */
    private String checkpointFolder;

    SparkFit removingFolder(String folder) {
        this.checkpointFolder = folder;
        return this;
    }

    @Override
    public void close() {
        SparkAls.deleteCheckpoints(spark.sparkContext(), checkpointFiles);
        if (checkpointFolder != null) {
            try {
                org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(checkpointFolder);
                org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
                if (fs.exists(path) && fs.listStatus(path).length == 0) {
                    fs.delete(path, false);
                }
            } catch (IOException e) {
                // Only an empty folder left behind.
            }
        }
        users.unpersist(false);
        items.unpersist(false);
        layout.users().unpersist(false);
        layout.items().unpersist(false);
        for (Broadcast<?> b : broadcasts) {
            b.destroy();
        }
        if (tempCheckpoints != null) {
            deleteTree(tempCheckpoints);
        }
    }

    static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the temporary checkpoints in " + dir, e);
        }
    }
}
