package dev.akua.registry.storage;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.storage.blob.BlobLinks;
import dev.akua.registry.storage.blob.BlobStore;
import dev.akua.registry.storage.catalog.Catalog;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.manifest.ManifestStore;
import dev.akua.registry.storage.referrers.ReferrersStore;
import dev.akua.registry.storage.tag.TagStore;
import dev.akua.registry.storage.upload.UploadStore;

import java.time.Clock;

/**
 * The content stores over one driver, built together because they share the driver and the
 * layout. The registry's composition root makes one of these; nothing here is static.
 */
public final class RegistryStorage {
    private final StorageDriver driver;
    private final BlobStore blobs;
    private final BlobLinks links;
    private final UploadStore uploads;
    private final TagStore tags;
    private final ReferrersStore referrers;
    private final ManifestStore manifests;
    private final Catalog catalog;

    public RegistryStorage(StorageDriver driver, StorageOptions options, ManifestParser parser, JsonMapper json, Clock clock) {
        this.driver = driver;
        this.blobs = new BlobStore(driver);
        this.links = new BlobLinks(driver);
        this.uploads = new UploadStore(driver, blobs, links, clock);
        this.tags = new TagStore(driver, options.pointerTtl());
        this.referrers = new ReferrersStore(driver, json);
        this.manifests = new ManifestStore(driver, blobs, links, tags, referrers, parser, json,
                options.maxManifestBytes(), options.pointerTtl(), options.manifestCacheBytes());
        this.catalog = new Catalog(driver);
    }

    public StorageDriver driver() {
        return driver;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public BlobLinks links() {
        return links;
    }

    public UploadStore uploads() {
        return uploads;
    }

    public TagStore tags() {
        return tags;
    }

    public ReferrersStore referrers() {
        return referrers;
    }

    public ManifestStore manifests() {
        return manifests;
    }

    public Catalog catalog() {
        return catalog;
    }

    /**
     * Cross-repository mount (distribution-spec "Mounting a blob from another repository"): links the
     * blob into {@code target} if {@code source} holds it. False means "not mountable"; the caller
     * then starts a normal upload (202). Whether the caller may read {@code source} is decided
     * before this is called.
     */
    public boolean mount(RepositoryName target, Digest digest, RepositoryName source) {
        if (!links.isLinked(source, digest) || blobs.statForReference(digest).isEmpty()) {
            return false;
        }
        links.link(target, digest);
        return true;
    }
}
