package dev.akua.registry.storage.gc;

/** What the collector does with a manifest no tag reaches (directly, through an index, or as a referrer of such). */
public enum UntaggedPolicy {
    /** Untagged manifests are kept (only orphaned referrers and unreferenced blobs go). Distribution's default. */
    KEEP,
    /** Untagged manifests older than the grace period are collected. */
    DELETE;

    public static UntaggedPolicy parse(String value) {
        return switch (value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "keep" -> KEEP;
            case "delete" -> DELETE;
            default -> throw new IllegalArgumentException("untagged manifest policy must be keep or delete, not '" + value + "'");
        };
    }
}
