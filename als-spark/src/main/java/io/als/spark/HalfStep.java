package io.als.spark;

import io.als.api.ImplicitFeedback;
import io.als.api.NumericalException;
import io.als.api.RatingsInputException;
import io.als.api.Regularizer;
import io.als.api.SingularSystemException;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * One half-step on Spark: every block of the fixed side ships to each block of the side
 * being solved the factor rows that block's ratings name (and nothing else); each receiving
 * block gathers them into one matrix, in increasing index order, and solves all its rows with
 * one {@link LeastSquaresStep} of the configured backend.
 *
 * <p>A row's system is then exactly the one the single-machine fit poses: the same entries,
 * in the same order, against the same factor rows, with the penalty of the row's full rating
 * count (all of a row's ratings are in its block). Backends promise that a row's solution
 * depends on nothing else (the {@link LeastSquaresStep} contract), so each row comes out bit
 * for bit as on one machine, whatever the number of blocks, partitions or executors.
 *
 * <p>The order in which shipments arrive does not matter either: each is placed by the number
 * of the block that sent it.
 *
 * <h2>Biased fits</h2>
 * A row travels as {@code [factors, bias]}. The receiving block turns it into the fixed row
 * {@code [factors, 1]} and subtracts {@code mean + bias} from each rating that names it, as
 * {@code FitState.Biased} does on one machine, and solves for {@code [factors, bias]}.
 *
 * <h2>Implicit fits</h2>
 * Each entry is posed as on one machine ({@link ImplicitFeedback#weighted}: value {@code c},
 * weight {@code c - alpha0}), with the shared term {@code alpha0 Y^T Y} of the whole fixed side,
 * which the driver sums from the blocks' shares (each block computes the share of its rows as
 * it solves them, so the Gram matrix costs no extra pass) and sends with the half-step's tasks.
 * Conjugate-gradient solves start from the rows' current factors, which the block's task reads
 * from the side's current factor RDD.
 */
final class HalfStep {
    private HalfStep() {
    }

    /**
     * The solved side's new factors, one {@link Factors} per block, partition {@code b}
     * holding block {@code b}.
     *
     * @param fixedBlocks  the blocks of the side held fixed
     * @param fixedFactors their current factors, aligned with {@code fixedBlocks}
     * @param solvedBlocks the blocks of the side to solve
     * @param current      the solved side's current factors, aligned with {@code solvedBlocks}, where
     *                     conjugate-gradient solves start; null for exact solves
     * @param partitioner  the partitioner of the solved side
     * @param spec         the settings of the row solves
     * @param shared       of an implicit fit, the shared term {@code alpha0 Y^T Y} of the fixed
     *                     side ({@code k x k}, row-major); null otherwise
     * @param measure      what to measure on the way ({@link Measure})
     * @param iteration    the ALS iteration (for messages)
     */
    static JavaRDD<Factors> run(JavaRDD<Block> fixedBlocks, JavaRDD<Factors> fixedFactors, JavaRDD<Block> solvedBlocks,
                                JavaRDD<Factors> current, BlockPartitioner partitioner, Broadcast<StepSpec> spec,
                                double[] shared, Measure measure, int iteration) {
        int width = spec.value().width();
        boolean floats = spec.value().shipFloats();
        JavaRDD<Tuple2<Integer, Shipment>> out = fixedBlocks.zipPartitions(fixedFactors,
                (blocks, factors) -> ship(blocks, factors, width, floats));
        JavaPairRDD<Integer, Shipment> delivered = JavaPairRDD.fromJavaRDD(out).partitionBy(partitioner);
        if (current == null) {
            return solvedBlocks.zipPartitions(delivered, (blocks, shipments) -> {
                if (!blocks.hasNext()) {
                    return Collections.emptyIterator();
                }
                Block b = blocks.next();
                return Collections.singletonList(solve(b, null, shipments, spec.value(), shared, measure, iteration))
                        .iterator();
            });
        }
        JavaRDD<Tuple2<Block, Factors>> targets = solvedBlocks.zipPartitions(current, (blocks, factors) ->
                blocks.hasNext() ? Collections.singletonList(new Tuple2<>(blocks.next(), factors.next())).iterator()
                        : Collections.emptyIterator());
        return targets.zipPartitions(delivered, (pairs, shipments) -> {
            if (!pairs.hasNext()) {
                return Collections.emptyIterator();
            }
            Tuple2<Block, Factors> b = pairs.next();
            return Collections.singletonList(solve(b._1(), b._2(), shipments, spec.value(), shared, measure, iteration))
                    .iterator();
        });
    }

    /** The shipments of one block of the fixed side (nothing for an empty partition). */
    private static Iterator<Tuple2<Integer, Shipment>> ship(Iterator<Block> blocks, Iterator<Factors> factors,
                                                            int width, boolean floats) {
        if (!blocks.hasNext()) {
            return Collections.emptyIterator();
        }
        Block b = blocks.next();
        Factors f = factors.next();
        if (f.block != b.id || f.width != width || f.rows() != b.rows.length) {
            throw new IllegalStateException(b.describe() + " met the factors of block " + f.block + " (" + f.rows()
                    + "x" + f.width + ", expected " + b.rows.length + "x" + width + ")");
        }
        List<Tuple2<Integer, Shipment>> out = new ArrayList<>();
        for (int d = 0; d < b.toBlock.length; d++) {
            int[] local = b.toBlock[d];
            if (local.length == 0) {
                continue;
            }
            out.add(new Tuple2<>(d, Shipment.of(b.id, f.data, local, width, floats)));
        }
        return out.iterator();
    }

    /**
     * Gathers the shipped rows of one block of the solved side and solves its rows.
     *
     * @param current the block's current factors (where conjugate-gradient solves start), or null
     * @param shared  the shared Gram term of an implicit fit ({@code k x k}), or null
     * @param measure what to measure of the solved rows besides solving them
     */
    static Factors solve(Block b, Factors current, Iterator<Tuple2<Integer, Shipment>> shipments, StepSpec spec,
                         double[] shared, Measure measure, int iteration) {
        int w = spec.width();
        int k = spec.rank();
        int m = b.needed.length;
        FactorMatrix fixed = new FactorMatrix(m, w);
        double[] f = fixed.data();
        double[] otherBias = spec.biased() ? new double[m] : null;
        boolean[] seen = new boolean[b.fromBlock.length];
        while (shipments.hasNext()) {
            Tuple2<Integer, Shipment> next = shipments.next();
            Shipment s = next._2();
            if (next._1() != b.id || seen[s.from]) {
                throw new IllegalStateException(b.describe() + " received " + (seen[s.from] ? "a second" : "a stray")
                        + " shipment from block " + s.from);
            }
            seen[s.from] = true;
            int[] pos = b.fromBlock[s.from];
            if (s.length() != pos.length * w) {
                throw new IllegalStateException(b.describe() + " expected " + pos.length + " rows from block " + s.from
                        + " but received " + s.length() / w);
            }
            for (int t = 0; t < pos.length; t++) {
                int at = pos[t] * w;
                s.copyRow(t, w, f, at);
                if (otherBias != null) {
                    // [factors, bias] becomes the fixed row [factors, 1]; the bias moves to the ratings.
                    otherBias[pos[t]] = f[at + k];
                    f[at + k] = 1;
                }
            }
        }
        for (int j = 0; j < seen.length; j++) {
            if (!seen[j] && b.fromBlock[j].length > 0) {
                throw new IllegalStateException(b.describe() + " received nothing from block " + j + ", which holds "
                        + b.fromBlock[j].length + " of the rows it needs");
            }
        }
        double[] values = b.val;
        if (otherBias != null) {
            values = new double[b.val.length];
            double mean = spec.mean();
            for (int e = 0; e < values.length; e++) {
                // The same expression as FitState.Biased: r - (mu + b_other).
                values[e] = b.val[e] - (mean + otherBias[b.col[e]]);
            }
        }
        SparseView view = SparseView.adopt(b.rows.length, m, b.ptr, b.col, values);
        StepSpec.Implicit implicit = spec.implicit();
        if (implicit != null) {
            SparseView raw = view;
            view = implicit.settings().weighted(raw, e -> negative(b, raw, e, spec));
        }
        FactorMatrix target = current == null ? new FactorMatrix(b.rows.length, w)
                : FactorMatrix.of(b.rows.length, w, current.data);
        Regularizer reg = spec.penalty(b.side == Block.Side.ITEMS);
        IdTable ids = spec.ids().of(b.side);
        double[] gram = null;
        try (LeastSquaresStep step = ExecutorSolvers.get(spec.solver()).newStep(w, spec.threads())) {
            Gram g = shared == null ? null : Gram.ofDense(w, shared);
            if (implicit != null && implicit.cg()) {
                step.solveConjugateGradient(view, fixed, reg, g, target, implicit.cgSteps(), implicit.singlePrecision());
            } else {
                step.solve(view, fixed, reg, g, target);
            }
            if (implicit != null) {
                gram = step.gram(target).toDense();
            }
        } catch (SingularSystemException e) {
            throw e.named(b.side.noun() + " " + ids.idAt(b.rows[e.row()]));
        }
        int bad = target.firstNonFiniteRow();
        if (bad >= 0) {
            throw new NumericalException("solver " + spec.solver() + " produced a non-finite factor for "
                    + b.side.noun() + " " + ids.idAt(b.rows[bad]) + " in iteration " + iteration
                    + "; the fit was stopped");
        }
        return implicit != null
                ? measuredImplicit(b, view, fixed, target, reg, implicit.unobservedWeight(), gram, measure)
                : measured(b, view, fixed, target, reg, measure);
    }

    /**
     * What a half-step measures of the rows it solved, besides solving them. The error of the
     * ratings is a pass over every rating (at rank 10 about a fifth of the solve), so it is
     * measured only where the loss is wanted, and only on the user side, whose half-step ends the
     * iteration; the penalty is a pass over the rows only.
     */
    enum Measure {
        /** Nothing: the loss is not wanted this iteration (NaN in the factors' fields). */
        NOTHING,
        /** The penalty of the rows only (the item side of a measured iteration). */
        PENALTY,
        /** The error of the block's ratings and the penalty (the user side of a measured iteration). */
        ERROR_AND_PENALTY
    }

    /** The error for a negative (or NaN) value of entry {@code e}, naming its user and item. */
    private static RuntimeException negative(Block b, SparseView raw, int e, StepSpec spec) {
        int r = 0;
        while (raw.end(r) <= e) {
            r++;
        }
        Block.Side other = b.side == Block.Side.USERS ? Block.Side.ITEMS : Block.Side.USERS;
        Object row = spec.ids().of(b.side).idAt(b.rows[r]);
        Object col = spec.ids().of(other).idAt(b.needed[raw.index(e)]);
        Object user = b.side == Block.Side.USERS ? row : col;
        Object item = b.side == Block.Side.USERS ? col : row;
        return new RatingsInputException(spec.ids().source(), 0, "implicit feedback needs values >= 0 (counts,"
                + " ratings or 1) but user " + user + " has " + raw.value(e) + " for item " + item);
    }

    /**
     * The block's factors with its share of the implicit objective's observed part,
     * {@code sum c (1 - s)^2 - alpha0 s^2} over its cells with {@code c > 0} (as
     * {@code Objective.implicitObserved} sums it), its penalty, and its share of the Gram matrix.
     */
    private static Factors measuredImplicit(Block b, SparseView view, FactorMatrix fixed, FactorMatrix target,
                                            Regularizer reg, double alpha0, double[] gram, Measure measure) {
        int w = target.rank();
        if (measure == Measure.NOTHING) {
            return new Factors(b.id, w, target.data(), Double.NaN, Double.NaN, gram);
        }
        double observed = measure == Measure.PENALTY ? Double.NaN : 0;
        double penalty = 0;
        for (int r = 0; r < view.rows(); r++) {
            penalty += reg.penalty(view.count(r)) * target.squaredNorm(r);
            if (measure == Measure.PENALTY) {
                continue;
            }
            for (int e = view.start(r); e < view.end(r); e++) {
                double c = view.value(e);
                if (c != 0) {
                    double s = target.dot(r, fixed, view.index(e));
                    double d = 1 - s;
                    observed += c * d * d - alpha0 * s * s;
                }
            }
        }
        return new Factors(b.id, w, target.data(), observed, penalty, gram);
    }

    /** The block's factors with the squared error of its ratings and its penalty, as far as {@code measure} asks. */
    private static Factors measured(Block b, SparseView view, FactorMatrix fixed, FactorMatrix target,
                                    Regularizer reg, Measure measure) {
        int w = target.rank();
        double[] x = target.data();
        double[] f = fixed.data();
        if (measure == Measure.NOTHING) {
            return new Factors(b.id, w, x, Double.NaN, Double.NaN);
        }
        double sse = measure == Measure.PENALTY ? Double.NaN : 0;
        double penalty = 0;
        for (int r = 0; r < view.rows(); r++) {
            double norm = 0;
            for (int c = 0; c < w; c++) {
                norm += x[r * w + c] * x[r * w + c];
            }
            penalty += reg.penalty(view.count(r)) * norm;
            if (measure == Measure.PENALTY) {
                continue;
            }
            for (int e = view.start(r); e < view.end(r); e++) {
                int j = view.index(e);
                double prediction = 0;
                for (int c = 0; c < w; c++) {
                    prediction += x[r * w + c] * f[j * w + c];
                }
                double d = view.value(e) - prediction;
                sse += d * d;
            }
        }
        return new Factors(b.id, w, x, sse, penalty);
    }
}
