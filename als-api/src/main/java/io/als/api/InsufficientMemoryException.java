package io.als.api;

/**
 * A fit or a load would need more heap than the JVM may use; thrown before allocating,
 * instead of an {@link OutOfMemoryError} halfway through. Carries the estimate.
 */
public class InsufficientMemoryException extends AlsException {
    private final long neededBytes;
    private final long availableBytes;

    public InsufficientMemoryException(String what, long neededBytes, long availableBytes) {
        this(what, neededBytes, availableBytes, physicalMemory());
    }

    /**
     * @param physicalBytes the machine's memory, or 0 when unknown: a need beyond it is not
     *                      met by a larger heap, so the message does not suggest one
     */
    InsufficientMemoryException(String what, long neededBytes, long availableBytes, long physicalBytes) {
        super(what + " needs about " + MemoryEstimate.mib(neededBytes) + " MiB of heap but only "
                + MemoryEstimate.mib(availableBytes) + " MiB are available; " + (physicalBytes > 0
                && neededBytes > physicalBytes ? "that is more than this machine's " + MemoryEstimate.mib(physicalBytes)
                + " MiB of memory, so make the job smaller (rank, samples, threads or data)"
                : "raise the heap, e.g. -Xmx" + suggestGiB(neededBytes) + "g (for the als command: ALS_JAVA_OPTS=-Xmx"
                + suggestGiB(neededBytes) + "g)"));
        this.neededBytes = neededBytes;
        this.availableBytes = availableBytes;
    }

    /** The machine's physical memory in bytes, or 0 when the JVM does not say. */
    private static long physicalMemory() {
        try {
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 0;
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
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
