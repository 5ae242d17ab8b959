package dev.akua.registry.publisher;

/**
 * A publish request that cannot be carried out as sent. The message says exactly what is wrong;
 * {@link #file()} names the offending manifest file or archive entry when there is one. Nothing has
 * been stored when this is thrown.
 */
public final class PublishRefusal extends RuntimeException {
    /** What kind of problem it is; the registry chooses the HTTP status from it. */
    public enum Kind {
        /** Metadata (name, version, digests, shape) missing or malformed: 400. */
        INVALID_REQUEST,
        /** Not a gzip tar, or an entry breaks the archive rules (links, traversal, devices): 400. */
        INVALID_ARCHIVE,
        /** A size or count limit was passed (archive, unpacked total, one file, entries): 413. */
        TOO_LARGE,
        /** A manifest file is not one Kubernetes resource in bounded, alias-free YAML: 400. */
        INVALID_MANIFEST,
        /** The shape cannot carry a manifest exactly (e.g. text Helm's renderer rewrites): 400. */
        UNREPRODUCIBLE
    }

    private final Kind kind;
    private final String file;

    public PublishRefusal(Kind kind, String message, String file) {
        super(message);
        this.kind = kind;
        this.file = file;
    }

    public Kind kind() {
        return kind;
    }

    /** The file or entry concerned, or null. */
    public String file() {
        return file;
    }
}
