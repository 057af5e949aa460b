package io.als.api;

/**
 * A fit or a load would need more heap than the JVM may use; thrown before allocating,
 * instead of an {@link OutOfMemoryError} halfway through. Carries the estimate.
 */
public class InsufficientMemoryException extends AlsException {
    private final long neededBytes;
    private final long availableBytes;

    public InsufficientMemoryException(String what, long neededBytes, long availableBytes) {
        super(what + " needs about " + MemoryEstimate.mib(neededBytes) + " MiB of heap but only "
                + MemoryEstimate.mib(availableBytes) + " MiB are available; raise the heap, e.g. -Xmx"
                + suggestGiB(neededBytes) + "g (for the als command: ALS_JAVA_OPTS=-Xmx" + suggestGiB(neededBytes) + "g)");
        this.neededBytes = neededBytes;
        this.availableBytes = availableBytes;
    }

    private static long suggestGiB(long needed) {
        return Math.max(1, (long) Math.ceil(needed * 1.5 / (1L << 30)));
    }

    public long neededBytes() {
        return neededBytes;
    }

    public long availableBytes() {
        return availableBytes;
    }
}
