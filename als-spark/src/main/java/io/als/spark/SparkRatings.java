package io.als.spark;

import io.als.api.RatingScale;
import io.als.api.Ratings;
import io.als.api.RatingsFormat;
import io.als.api.RatingsInputException;
import io.als.api.RatingsReader;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Ratings on Spark: reading them from a path, giving their ids the library's dense indices,
 * and measuring them (count, mean, range) in one pass.
 *
 * <h2>Ids</h2>
 * As {@link Ratings.Builder} does, the ids are numbers when every user and every item id is
 * an integer written canonically (integral columns always are), and text otherwise; indices
 * follow the sorted ids. The distinct ids of each side are collected to the driver (the model
 * needs them there anyway) and broadcast back to map each rating.
 *
 * <h2>The mean</h2>
 * The single-machine fit sums the ratings in order, user by user. A distributed sum in that
 * order is not possible, and a sum in partition order would depend on the partitioning. So the
 * sum is exact ({@link BigDecimal}, whose additions do not round), then rounded once: the same
 * for every partitioning, and bit-identical to the single machine's whenever its running sum
 * is exact, as it is for ratings on a scale of integers or halves up to about 2^52 in total.
 */
final class SparkRatings {
    private SparkRatings() {
    }

    /** The default column names of a ratings {@code Dataset}. */
    static final String USER = "user";
    static final String ITEM = "item";
    static final String VALUE = "value";

    /** The ratings, by dense indices, in chunks; with their ids, count, exact sum and range. */
    record Indexed(JavaRDD<Chunk> chunks, IdTables ids, Broadcast<IdTables> sharedIds, long count, double mean,
                   double positiveMean, RatingScale scale) {
    }

    /**
     * Reads ratings from a path: Parquet when the path ends in {@code .parquet} (columns named
     * {@code userColumn}, {@code itemColumn}, {@code valueColumn}), otherwise delimited text in
     * the given format, or in the format {@link RatingsFormat#detect} finds on the first line
     * when {@code format} is null.
     *
     * @return a Dataset with the columns {@value #USER}, {@value #ITEM}, {@value #VALUE}
     */
    static Dataset<Row> read(SparkSession spark, String path, RatingsFormat format, String userColumn,
                             String itemColumn, String valueColumn, boolean implicit) {
        if (path.toLowerCase(Locale.ROOT).replaceAll("/+$", "").endsWith(".parquet")) {
            Dataset<Row> df = spark.read().parquet(path);
            return df.select(df.col(userColumn).as(USER), df.col(itemColumn).as(ITEM), df.col(valueColumn).as(VALUE));
        }
        RatingsFormat f = format;
        // The first line (a job of its own) is read only to detect the format or an implicit file of pairs.
        String firstLine = null;
        String secondLine = null;
        if (f == null || implicit) {
            // The first two lines that are not blank, as the local reader sees them.
            List<String> first = spark.read().textFile(path)
                    .filter((org.apache.spark.api.java.function.FilterFunction<String>)
                            l -> !l.replace("\uFEFF", "").isBlank())
                    .takeAsList(2);
            if (first.isEmpty()) {
                throw new RatingsInputException(path, 0, "ratings must not be empty but no rating was read");
            }
            firstLine = first.get(0).startsWith("\uFEFF") ? first.get(0).substring(1) : first.get(0);
            secondLine = first.size() > 1 ? first.get(1) : null;
        }
        if (f == null) {
            f = RatingsFormat.detect(firstLine);
            if (f == null) {
                throw new RatingsInputException(path, 1, "the format could not be told from the first line (no '::',"
                        + " tab or comma); give it, e.g. --format delim:;");
            }
        }
        // Implicit feedback: a file of (user, item) pairs is read with value 1, as RatingsReader reads it,
        // and may start with a header of id names.
        String[] firstFields = firstLine == null ? new String[0]
                : firstLine.split(java.util.regex.Pattern.quote(f.delimiter()), -1);
        boolean pairs = implicit && firstFields.length == 2 && f.ratingColumn() == 2;
        String[] nextFields = secondLine == null ? new String[0]
                : secondLine.split(java.util.regex.Pattern.quote(f.delimiter()), -1);
        boolean header = f.header() || pairs && RatingsReader.isPairHeader(firstFields[0].trim(), firstFields[1].trim(),
                nextFields.length == 2 ? nextFields[0].trim() : null, nextFields.length == 2 ? nextFields[1].trim() : null);
        // Every field as text: ids keep their exact spelling, and a bad rating is reported, not turned into null.
        Dataset<Row> df = spark.read().option("sep", f.delimiter()).option("header", Boolean.toString(header))
                .option("inferSchema", "false").option("mode", "FAILFAST").csv(path);
        String[] names = df.columns();
        if (pairs && names.length == 2) {
            return df.select(df.col(names[f.userColumn()]).as(USER), df.col(names[f.itemColumn()]).as(ITEM),
                    org.apache.spark.sql.functions.lit("1").as(VALUE));
        }
        if (names.length < f.minFields()) {
            throw new RatingsInputException(path, 1, "lines must have at least " + f.minFields() + " fields ("
                    + f.name() + " format) but the first has " + names.length);
        }
        return df.select(df.col(names[f.userColumn()]).as(USER), df.col(names[f.itemColumn()]).as(ITEM),
                df.col(names[f.ratingColumn()]).as(VALUE));
    }

    /**
     * Gives the ratings in columns {@code user}, {@code item}, {@code value} of {@code df} the
     * library's dense indices and measures them. The chunks are persisted by the caller.
     *
     * @param source the name of the input, for messages and the model
     */
    static Indexed index(Dataset<Row> df, String user, String item, String value, String source) {
        Dataset<Row> three = df.select(df.col(user), df.col(item), df.col(value));
        StructField[] fields = three.schema().fields();
        requireIdType(fields[0], source);
        requireIdType(fields[1], source);
        List<Object> users = distinct(three, 0, source, "user");
        List<Object> items = distinct(three, 1, source, "item");
        IdTables ids;
        if (allCanonicalIntegers(users) && allCanonicalIntegers(items)) {
            ids = new IdTables(IdTable.numeric(sortedLongs(users)), IdTable.numeric(sortedLongs(items)), source);
        } else {
            ids = new IdTables(IdTable.strings(sortedStrings(users)), IdTable.strings(sortedStrings(items)), source);
        }
        Broadcast<IdTables> shared = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
                df.sparkSession().sparkContext()).broadcast(ids);
        JavaRDD<Chunk> chunks = three.javaRDD().mapPartitions(rows -> chunk(rows, shared.value()));
        chunks.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        Measure m = chunks.map(Measure::of).fold(Measure.EMPTY, Measure::plus);
        if (m.count == 0) {
            throw new RatingsInputException(source, 0, "ratings must not be empty but no rating was read");
        }
        if (m.max - m.min > Ratings.MAX_RANGE) {
            throw new RatingsInputException(source, 0, "ratings must span at most " + (long) Ratings.MAX_RANGE
                    + " (a rating scale) but run from " + m.min + " to " + m.max + "; rescale the ratings");
        }
        double mean = m.sum.doubleValue() / m.count;
        double positiveMean = m.positive == 0 ? 0 : m.positiveSum.doubleValue() / m.positive;
        return new Indexed(chunks, ids, shared, m.count, mean, positiveMean, new RatingScale(m.min, m.max));
    }

    /** Integral numbers and text are ids; anything else (a double id, say) is refused. */
    private static void requireIdType(StructField field, String source) {
        DataType t = field.dataType();
        if (!(t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType) || t.equals(DataTypes.ShortType)
                || t.equals(DataTypes.ByteType) || t.equals(DataTypes.StringType))) {
            throw new RatingsInputException(source, 0, "the id column " + field.name() + " must hold integers or text"
                    + " but holds " + t.simpleString());
        }
    }

    private static List<Object> distinct(Dataset<Row> three, int column, String source, String what) {
        List<Row> rows = three.select(three.columns()[column]).distinct().collectAsList();
        List<Object> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            if (r.isNullAt(0)) {
                throw new RatingsInputException(source, 0, "every rating must have a " + what + " id but one has none");
            }
            out.add(r.get(0));
        }
        return out;
    }

    private static boolean allCanonicalIntegers(List<Object> ids) {
        for (Object id : ids) {
            if (!(id instanceof Number) && !isCanonicalLong(id.toString())) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s} is a long written as {@link Long#toString} writes it (no sign +, no leading zeros). */
    static boolean isCanonicalLong(String s) {
        try {
            return Long.toString(Long.parseLong(s)).equals(s);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static long[] sortedLongs(List<Object> ids) {
        long[] out = new long[ids.size()];
        for (int t = 0; t < out.length; t++) {
            Object id = ids.get(t);
            out[t] = id instanceof Number n ? n.longValue() : Long.parseLong(id.toString());
        }
        Arrays.sort(out);
        return out;
    }

    private static String[] sortedStrings(List<Object> ids) {
        String[] out = new String[ids.size()];
        for (int t = 0; t < out.length; t++) {
            out[t] = ids.get(t).toString();
        }
        Arrays.sort(out);
        return out;
    }

    /** One partition's ratings as chunks of dense indices, checking each rating. */
    private static Iterator<Chunk> chunk(Iterator<Row> rows, IdTables ids) {
        List<Chunk> out = new ArrayList<>();
        Chunk c = new Chunk(Chunk.CAPACITY);
        while (rows.hasNext()) {
            Row r = rows.next();
            int u = ids.users().indexOf(r.get(0));
            int i = ids.items().indexOf(r.get(1));
            double v = rating(r, ids.source());
            if (u < 0 || i < 0) {
                throw new IllegalStateException("id " + (u < 0 ? r.get(0) : r.get(1)) + " was not collected");
            }
            c.add(u, i, v);
            if (c.full()) {
                out.add(c);
                c = new Chunk(Chunk.CAPACITY);
            }
        }
        if (c.size > 0) {
            out.add(c.trimmed());
        }
        return out.iterator();
    }

    /** The rating of a row: a number, or text that parses as one; finite and within the library's bound. */
    private static double rating(Row r, String source) {
        if (r.isNullAt(2)) {
            throw new RatingsInputException(source, 0, "user " + r.get(0) + ", item " + r.get(1) + " has no rating");
        }
        Object raw = r.get(2);
        double v;
        if (raw instanceof Number n) {
            v = n.doubleValue();
        } else {
            try {
                v = Double.parseDouble(raw.toString().trim());
            } catch (NumberFormatException e) {
                throw new RatingsInputException(source, 0, "rating must be a number but was '" + raw + "' (user "
                        + r.get(0) + ", item " + r.get(1) + ")");
            }
        }
        if (!Double.isFinite(v)) {
            throw new RatingsInputException(source, 0, "rating must be finite but was " + v + " (user " + r.get(0)
                    + ", item " + r.get(1) + ")");
        }
        if (Math.abs(v) > Ratings.MAX_ABS_RATING) {
            throw new RatingsInputException(source, 0, "rating " + v + " is too large to be on a rating scale (user "
                    + r.get(0) + ", item " + r.get(1) + "); rescale the ratings");
        }
        return v;
    }

    /** Count, exact sum and range of some ratings; merging is exact and order-free. */
    record Measure(long count, BigDecimal sum, double min, double max, long positive, BigDecimal positiveSum)
            implements Serializable {
        static final Measure EMPTY = new Measure(0, BigDecimal.ZERO, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, 0, BigDecimal.ZERO);

        static Measure of(Chunk c) {
            BigDecimal s = BigDecimal.ZERO;
            BigDecimal ps = BigDecimal.ZERO;
            long p = 0;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int e = 0; e < c.size; e++) {
                BigDecimal v = new BigDecimal(c.values[e]);
                s = s.add(v);
                if (c.values[e] > 0) {
                    ps = ps.add(v);
                    p++;
                }
                lo = Math.min(lo, c.values[e]);
                hi = Math.max(hi, c.values[e]);
            }
            return new Measure(c.size, s, lo, hi, p, ps);
        }

        Measure plus(Measure o) {
            return new Measure(count + o.count, sum.add(o.sum), Math.min(min, o.min), Math.max(max, o.max),
                    positive + o.positive, positiveSum.add(o.positiveSum));
        }
    }
}
