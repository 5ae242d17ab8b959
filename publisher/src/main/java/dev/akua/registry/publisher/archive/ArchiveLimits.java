package dev.akua.registry.publisher.archive;

/**
 * Caps on reading a gzip tar from a client. Every one is checked while the bytes stream, so a
 * hostile archive costs at most these amounts of reading before it is refused.
 *
 * @param maxCompressedBytes largest gzip stream accepted (what crosses the wire)
 * @param maxUnpackedBytes   most bytes the gzip stream may expand to, tar headers and padding included
 *                           (a gzip bomb stops here, while it is being inflated)
 * @param maxFileBytes       largest single file
 * @param maxEntries         most tar entries (files, directories and metadata entries alike)
 */
public record ArchiveLimits(long maxCompressedBytes, long maxUnpackedBytes, long maxFileBytes, int maxEntries) {
    public ArchiveLimits {
        positive(maxCompressedBytes, "maxCompressedBytes");
        positive(maxUnpackedBytes, "maxUnpackedBytes");
        positive(maxFileBytes, "maxFileBytes");
        positive(maxEntries, "maxEntries");
        if (maxFileBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxFileBytes must be below 2 GiB (files are read whole)");
        }
    }

    private static void positive(long v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + v);
        }
    }
}
