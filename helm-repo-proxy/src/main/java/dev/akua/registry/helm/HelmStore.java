package dev.akua.registry.helm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.akua.registry.helm.chart.ChartReader;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.DigestAlgorithm;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.storage.RegistryStorage;
import dev.akua.registry.storage.StorageFailures;
import dev.akua.registry.storage.driver.FileWriter;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.manifest.StoredManifest;
import dev.akua.registry.storage.upload.UploadState;

/**
 * What Helm repositories keep in the registry's storage:
 * <ul>
 *   <li>charts as ordinary OCI images ({@link HelmOciLayout}) in the content store, so the same bytes
 *       serve the classic download, the OCI view and {@code helm pull oci://}; the archive enters the
 *       store through an upload session, which checks its digest again before the atomic move;</li>
 *   <li>feature state under {@code /helm/…} beside {@code /blobs} and {@code /repositories} (the last
 *       good upstream indexes, hosted index entries), written whole and replaced atomically.</li>
 * </ul>
 */
final class HelmStore {
    private static final int MAX_CONFIG_BYTES = 1 << 20;
    private final RegistryStorage storage;
    private final ManifestParser parser = new ManifestParser();

    HelmStore(RegistryStorage storage) {
        this.storage = storage;
    }

    RegistryStorage storage() {
        return storage;
    }

    /** The chart stored at {@code repo:tag}, if its manifest is a Helm chart whose layer is present. */
    Optional<StoredChart> lookup(RepositoryName repo, String tag) {
        if (!Tag.isValid(tag)) {
            return Optional.empty();
        }
        Optional<StoredManifest> manifest = storage.manifests().get(repo, new Tag(tag));
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        return chartLayer(manifest.get()).filter(l -> storage.blobs().stat(l.digest()).isPresent())
                .map(l -> new StoredChart(repo, tag, l.digest(), l.size(), manifest.get().revision().digest()));
    }

    /** The Helm chart layer of a stored manifest, if it is one. */
    Optional<Descriptor> chartLayer(StoredManifest manifest) {
        ManifestContent content = parse(manifest.bytes(), manifest.revision().mediaType());
        if (content == null || content.config() == null || !MediaTypes.HELM_CONFIG.equals(content.config().mediaType())) {
            return Optional.empty();
        }
        return content.layers().stream().filter(l -> MediaTypes.HELM_CHART_CONTENT.equals(l.mediaType())).findFirst();
    }

    ManifestContent parse(byte[] raw, String mediaType) {
        try {
            return parser.parse(raw, mediaType);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Reads a stored Helm config blob (its Chart.yaml metadata as JSON), bounded. */
    byte[] config(Digest digest) {
        return storage.blobs().read(digest, MAX_CONFIG_BYTES);
    }

    /**
     * Puts a validated archive into {@code repo} as the OCI image {@code repo:tag}: layer (through an
     * upload session that re-checks the digest), config blob, manifest, tag. Idempotent for the same
     * archive.
     */
    StoredChart store(RepositoryName repo, String tag, Spool spool, ChartReader.Chart chart, HelmOciLayout layout) {
        HelmOciLayout.ChartImage image = layout.image(chart);
        if (!image.layerDigest().hex().equals(spool.sha256Hex())) {
            throw new IllegalStateException("spooled archive and validated archive differ");
        }
        if (!storage.links().isLinked(repo, image.layerDigest()) || storage.blobs().stat(image.layerDigest()).isEmpty()) {
            UploadState upload = storage.uploads().start(repo, DigestAlgorithm.SHA256);
            try (InputStream in = spool.open()) {
                storage.uploads().append(repo, upload.id(), in, null, spool.size());
                storage.uploads().complete(repo, upload.id(), image.layerDigest(), null, null, -1);
            } catch (IOException e) {
                storage.uploads().cancel(repo, upload.id());
                throw StorageFailures.unavailable("reading spooled chart " + spool.file(), e);
            }
        }
        storage.blobs().put(image.configDigest(), image.config());
        storage.links().link(repo, image.configDigest());
        storage.manifests().put(repo, new Tag(tag), image.manifest(), MediaTypes.OCI_MANIFEST, List.of());
        return new StoredChart(repo, tag, image.layerDigest(), image.layerSize(), image.manifestDigest());
    }

    InputStream open(Digest blob) {
        return storage.blobs().open(blob, 0);
    }

    // --- feature state under /helm ---

    Optional<byte[]> readState(String path) {
        try {
            return Optional.of(storage.driver().getContent(path));
        } catch (PathNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw StorageFailures.unavailable("reading " + path, e);
        }
    }

    InputStream openState(String path) throws IOException {
        return storage.driver().reader(path, 0);
    }

    void writeState(String path, byte[] content) {
        try {
            storage.driver().putContent(path, content);
        } catch (IOException e) {
            throw StorageFailures.unavailable("writing " + path, e);
        }
    }

    /** Streams a large state object to a temporary path and renames it over {@code path} once complete. */
    void writeState(String path, InputStream content) {
        String temp = path + "-" + UUID.randomUUID();
        StorageDriver driver = storage.driver();
        try {
            try (FileWriter w = driver.writer(temp, false); InputStream in = content) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    w.write(buffer, 0, n);
                }
                w.commit();
            }
            driver.move(temp, path);
        } catch (IOException e) {
            try {
                driver.delete(temp);
            } catch (IOException ignored) {
                // best effort
            }
            throw StorageFailures.unavailable("writing " + path, e);
        }
    }

    void deleteState(String path) {
        try {
            storage.driver().delete(path);
        } catch (PathNotFoundException e) {
            // already gone
        } catch (IOException e) {
            throw StorageFailures.unavailable("deleting " + path, e);
        }
    }

    List<String> listState(String dir) {
        try {
            return storage.driver().list(dir);
        } catch (PathNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw StorageFailures.unavailable("listing " + dir, e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static OciException unavailable(String message, Throwable cause) {
        return OciException.of(ErrorCode.UNAVAILABLE, message).withStatus(502).withCause(cause);
    }
}
