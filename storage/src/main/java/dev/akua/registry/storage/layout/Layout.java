package dev.akua.registry.storage.layout;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;

/**
 * Where everything lives in a {@code StorageDriver}. One function per location; this comment is the
 * whole tree:
 *
 * <pre>
 * /blobs/&lt;alg&gt;/&lt;hex[0:2]&gt;/&lt;hex&gt;/data                     content-addressed bytes (blobs and manifests)
 * /repositories/&lt;name…&gt;/
 *     _layers/&lt;alg&gt;/&lt;hex&gt;/link                          blob linked into the repository ("sha256:…")
 *     _manifests/revisions/&lt;alg&gt;/&lt;hex&gt;/link             manifest in the repository (JSON: media type, size, subject…)
 *     _manifests/tags/&lt;tag&gt;/current/link                 tag → manifest digest ("sha256:…")
 *     _referrers/&lt;alg&gt;/&lt;hex&gt;/&lt;alg&gt;-&lt;hex&gt;                 referrer of subject &lt;alg:hex&gt; (its referrers-API descriptor, JSON)
 *     _uploads/&lt;uuid&gt;/info                               upload session (JSON: algorithm, start time)
 *     _uploads/&lt;uuid&gt;/data                               bytes received so far, append only
 * /_gc/leases/&lt;task&gt;                                       lease of a maintenance task (gc, retention, scrub, purge): holder, expiry
 * /_gc/trash/&lt;batch&gt;/&lt;original path&gt;                     objects the collector removed, restorable until the batch is purged
 * /_quarantine/&lt;original path&gt;                            blobs scrub found corrupt, kept for inspection
 * </pre>
 *
 * Repository name components cannot start with {@code _} (distribution-spec name grammar), so the
 * {@code _names} never collide with a nested repository.
 */
public final class Layout {
    public static final String BLOBS = "/blobs";
    public static final String REPOSITORIES = "/repositories";
    /** Directory names that mark a repository directory (any of them). */
    public static final String LAYERS_DIR = "_layers";
    public static final String MANIFESTS_DIR = "_manifests";
    public static final String UPLOADS_DIR = "_uploads";
    public static final String REFERRERS_DIR = "_referrers";

    /** Housekeeping of the garbage collector (outside {@code /blobs} and {@code /repositories}). */
    public static final String GC = "/_gc";
    public static final String LEASES = GC + "/leases";
    public static final String TRASH = GC + "/trash";
    public static final String QUARANTINE = "/_quarantine";

    private Layout() {
    }

    /** The lease object of a maintenance task: one holder at a time across replicas. */
    public static String lease(String task) {
        return LEASES + "/" + task;
    }

    /** Where the collector keeps {@code path} in trash batch {@code batch}. */
    public static String trashed(String batch, String path) {
        return TRASH + "/" + batch + path;
    }

    /** Where scrub keeps a corrupt object found at {@code path}. */
    public static String quarantined(String path) {
        return QUARANTINE + path;
    }

    /** The digest of a blob data path ({@code /blobs/<alg>/<xx>/<hex>/data}), or null if the path is not one. */
    public static Digest blobDigestOf(String path) {
        String[] parts = path.split("/");
        // "", "blobs", alg, xx, hex, "data"
        if (parts.length != 6 || !parts[1].equals("blobs") || !parts[5].equals("data")) {
            return null;
        }
        try {
            Digest d = new Digest(dev.akua.registry.oci.DigestAlgorithm.parse(parts[2]), parts[4]);
            return d.hex().startsWith(parts[3]) ? d : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    public static String blobData(Digest d) {
        return BLOBS + "/" + d.algorithm().id() + "/" + d.hex().substring(0, 2) + "/" + d.hex() + "/data";
    }

    public static String blobDir(Digest d) {
        return BLOBS + "/" + d.algorithm().id() + "/" + d.hex().substring(0, 2) + "/" + d.hex();
    }

    public static String repository(RepositoryName repo) {
        return REPOSITORIES + "/" + repo.value();
    }

    public static String layerLink(RepositoryName repo, Digest d) {
        return repository(repo) + "/" + LAYERS_DIR + "/" + d.algorithm().id() + "/" + d.hex() + "/link";
    }

    public static String layersDir(RepositoryName repo) {
        return repository(repo) + "/" + LAYERS_DIR;
    }

    public static String manifestsDir(RepositoryName repo) {
        return repository(repo) + "/" + MANIFESTS_DIR;
    }

    public static String revisionLink(RepositoryName repo, Digest d) {
        return revisionsDir(repo) + "/" + d.algorithm().id() + "/" + d.hex() + "/link";
    }

    public static String revisionsDir(RepositoryName repo) {
        return manifestsDir(repo) + "/revisions";
    }

    public static String revisionDir(RepositoryName repo, Digest d) {
        return revisionsDir(repo) + "/" + d.algorithm().id() + "/" + d.hex();
    }

    public static String tagsDir(RepositoryName repo) {
        return manifestsDir(repo) + "/tags";
    }

    public static String tagDir(RepositoryName repo, Tag tag) {
        return tagsDir(repo) + "/" + tag.value();
    }

    public static String tagLink(RepositoryName repo, Tag tag) {
        return tagDir(repo, tag) + "/current/link";
    }

    public static String referrersDir(RepositoryName repo, Digest subject) {
        return repository(repo) + "/" + REFERRERS_DIR + "/" + subject.algorithm().id() + "/" + subject.hex();
    }

    public static String referrerEntry(RepositoryName repo, Digest subject, Digest referrer) {
        return referrersDir(repo, subject) + "/" + referrer.algorithm().id() + "-" + referrer.hex();
    }

    public static String uploadsDir(RepositoryName repo) {
        return repository(repo) + "/" + UPLOADS_DIR;
    }

    public static String uploadDir(RepositoryName repo, String uploadId) {
        return uploadsDir(repo) + "/" + uploadId;
    }

    public static String uploadData(RepositoryName repo, String uploadId) {
        return uploadDir(repo, uploadId) + "/data";
    }

    public static String uploadInfo(RepositoryName repo, String uploadId) {
        return uploadDir(repo, uploadId) + "/info";
    }
}
