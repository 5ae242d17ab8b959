package dev.akua.registry.storage.blob;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.storage.StorageFailures;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.layout.Layout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Which blobs a repository holds. A blob is served from a repository only if it is linked there
 * (pushed, mounted, or a manifest of the repository), so one repository never reveals another's
 * content by digest.
 */
public final class BlobLinks {
    private final StorageDriver driver;

    public BlobLinks(StorageDriver driver) {
        this.driver = driver;
    }

    /** True if the blob was pushed or mounted into the repository. */
    public boolean isLinked(RepositoryName repo, Digest digest) {
        return exists(Layout.layerLink(repo, digest), repo, digest);
    }

    /** True if the repository may serve the digest from its blobs endpoint: a linked blob or one of its manifests. */
    public boolean isReadable(RepositoryName repo, Digest digest) {
        return isLinked(repo, digest) || exists(Layout.revisionLink(repo, digest), repo, digest);
    }

    /**
     * Links the blob into the repository. Only the link's existence is ever consulted (the digest is
     * in its path), so it is written without a flush of its own: a crash can leave it empty, never
     * wrong, and the blob it names was made durable before this call. One fsync fewer per blob push.
     */
    public void link(RepositoryName repo, Digest digest) {
        try {
            driver.putContentRelaxed(Layout.layerLink(repo, digest), digest.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw StorageFailures.unavailable("linking blob " + digest + " into " + repo, e);
        }
    }

    /** Removes the link; false if there was none. The bytes stay in the content store until GC. */
    public boolean unlink(RepositoryName repo, Digest digest) {
        try {
            driver.delete(Layout.layerLink(repo, digest).replaceFirst("/link$", ""));
            return true;
        } catch (PathNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw StorageFailures.unavailable("unlinking blob " + digest + " from " + repo, e);
        }
    }

    private boolean exists(String path, RepositoryName repo, Digest digest) {
        try {
            return driver.exists(path);
        } catch (IOException e) {
            throw StorageFailures.unavailable("looking up " + digest + " in " + repo, e);
        }
    }
}
