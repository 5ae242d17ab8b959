package dev.akua.registry.storage.blob;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.storage.StorageFailures;
import dev.akua.registry.storage.driver.FileInfo;
import dev.akua.registry.storage.driver.LocalFileAccess;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.ReadRedirects;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.layout.Layout;
import dev.akua.registry.storage.trash.Trash;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The global content-addressed store. Bytes enter only after their digest has been verified, and
 * only by an atomic put or rename onto the digest path (ARCHITECTURE.md rule 1): nothing at a digest
 * path is ever written in place.
 */
public final class BlobStore {
    private final StorageDriver driver;
    private final Trash trash;

    public BlobStore(StorageDriver driver) {
        this.driver = driver;
        this.trash = new Trash(driver);
    }

    public Optional<BlobInfo> stat(Digest digest) {
        try {
            FileInfo info = driver.stat(Layout.blobData(digest));
            return info.directory() ? Optional.empty() : Optional.of(new BlobInfo(digest, info.size()));
        } catch (PathNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw StorageFailures.unavailable("looking up blob " + digest, e);
        }
    }

    /**
     * As {@link #stat}, for a push about to reference the blob (a manifest's reference check, a
     * mount): a blob the garbage collector moved to its trash is put back first, because the client
     * saw it in the repository moments ago (see {@link Trash}). Pulls never bring anything back.
     */
    public Optional<BlobInfo> statForReference(Digest digest) {
        Optional<BlobInfo> info = stat(digest);
        if (info.isPresent()) {
            return info;
        }
        try {
            if (!trash.restore(Layout.blobData(digest))) {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw StorageFailures.unavailable("restoring blob " + digest, e);
        }
        return stat(digest);
    }

    /** A URL the client may fetch the blob from directly, when the driver offers one ({@link ReadRedirects}). */
    public Optional<URI> redirect(Digest digest) {
        return driver instanceof ReadRedirects r ? r.redirectFor(Layout.blobData(digest)) : Optional.empty();
    }

    /** Opens the blob's bytes from {@code offset}. */
    public InputStream open(Digest digest, long offset) {
        try {
            return driver.reader(Layout.blobData(digest), offset);
        } catch (PathNotFoundException e) {
            throw OciException.of(ErrorCode.BLOB_UNKNOWN, "blob unknown: " + digest);
        } catch (IOException e) {
            throw StorageFailures.unavailable("reading blob " + digest, e);
        }
    }

    /** The local file holding the blob, when the driver keeps blobs as local files. */
    public Optional<Path> localFile(Digest digest) {
        if (driver instanceof LocalFileAccess local) {
            return Optional.of(local.localPath(Layout.blobData(digest)));
        }
        return Optional.empty();
    }

    /** Reads a small blob (manifests, configs) whole; larger than {@code maxBytes} is an error. */
    public byte[] read(Digest digest, int maxBytes) {
        try {
            FileInfo info = driver.stat(Layout.blobData(digest));
            if (info.size() > maxBytes) {
                throw new IOException("blob " + digest + " has " + info.size() + " bytes, more than " + maxBytes);
            }
            return driver.getContent(Layout.blobData(digest));
        } catch (PathNotFoundException e) {
            throw OciException.of(ErrorCode.BLOB_UNKNOWN, "blob unknown: " + digest);
        } catch (IOException e) {
            throw StorageFailures.unavailable("reading blob " + digest, e);
        }
    }

    /** Stores small content whose digest the caller has computed over exactly these bytes. */
    public void put(Digest digest, byte[] content) {
        Digest actual = Digest.of(digest.algorithm(), content);
        if (!actual.equals(digest)) {
            throw new IllegalArgumentException("content does not hash to " + digest);
        }
        try {
            if (!driver.exists(Layout.blobData(digest))) {
                driver.putContent(Layout.blobData(digest), content);
            }
        } catch (IOException e) {
            throw StorageFailures.unavailable("storing blob " + digest, e);
        }
    }

    /**
     * Moves a verified object (an upload's data) onto the digest path. If the blob is already
     * present the object is dropped instead: identical bytes, nothing to replace.
     */
    public void adopt(String verifiedPath, Digest digest) {
        String target = Layout.blobData(digest);
        try {
            if (driver.exists(target)) {
                driver.delete(verifiedPath);
            } else {
                driver.move(verifiedPath, target);
            }
        } catch (IOException e) {
            throw StorageFailures.unavailable("committing blob " + digest, e);
        }
    }
}
