package dev.akua.registry.helm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.akua.registry.helm.chart.BoundedYaml;
import dev.akua.registry.helm.chart.ChartReader;
import dev.akua.registry.helm.chart.IndexReader;
import dev.akua.registry.helm.chart.InvalidChartException;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.storage.RegistryStorage;
import dev.akua.registry.storage.blob.BlobInfo;
import dev.akua.registry.remote.RemoteClient;

/**
 * Helm repositories served by the registry; the one entry point of this module. Built once by the
 * composition root; thread-safe. Every failure is an {@link OciException} carrying its status, so
 * the HTTP layer only writes it:
 * <ul>
 *   <li>404 {@code NAME_UNKNOWN} unknown upstream or namespace, {@code BLOB_UNKNOWN} unknown chart file;</li>
 *   <li>422 {@code DIGEST_INVALID} upstream archive differs from the index digest (nothing kept),
 *       422 {@code MANIFEST_INVALID} upstream archive or Chart.yaml refused;</li>
 *   <li>400 {@code MANIFEST_INVALID} uploaded or pushed chart refused, 409 version exists, 413 too large;</li>
 *   <li>403 {@code DENIED} chart host not allowed, push into the proxy's own repositories;</li>
 *   <li>502 {@code UNAVAILABLE} upstream unreachable and nothing kept to serve instead.</li>
 * </ul>
 */
public final class HelmRepositories {
    private final HelmSettings settings;
    private final HelmStore store;
    private final UpstreamProxy proxy;
    private final HostedIndexes hosted;
    private final ChartReader charts;
    private final HelmOciLayout layout;
    private final JsonMapper json;
    private final Path spoolDir;

    private HelmRepositories(HelmSettings settings, HelmStore store, UpstreamProxy proxy, HostedIndexes hosted, ChartReader charts,
                             HelmOciLayout layout, JsonMapper json, Path spoolDir) {
        this.settings = settings;
        this.store = store;
        this.proxy = proxy;
        this.hosted = hosted;
        this.charts = charts;
        this.layout = layout;
        this.json = json;
        this.spoolDir = spoolDir;
    }

    /**
     * @param remote   the client for upstream fetches (its address policy decides which hosts may be reached)
     * @param spoolDir local scratch space for archives being checked (created if missing)
     */
    public static HelmRepositories create(HelmSettings settings, RegistryStorage storage, RemoteClient remote, JsonMapper json,
                                          Clock clock, Path spoolDir) {
        Objects.requireNonNull(settings, "settings");
        HelmStore store = new HelmStore(storage);
        ObjectMapper yaml = IndexModel.yamlWriter();
        ChartReader charts = new ChartReader(settings.limits().chart());
        HelmOciLayout layout = new HelmOciLayout();
        IndexReader indexReader = new IndexReader(new BoundedYaml((int) Math.min(Integer.MAX_VALUE, settings.limits().maxIndexBytes()), 64),
                settings.limits().maxIndexVersions());
        UpstreamProxy proxy = new UpstreamProxy(settings, remote, store, indexReader, charts, layout, spoolDir, yaml, json);
        HostedIndexes hosted = new HostedIndexes(settings, store, yaml, json, clock);
        return new HelmRepositories(settings, store, proxy, hosted, charts, layout, json, spoolDir);
    }

    public HelmSettings settings() {
        return settings;
    }

    // --- proxied upstreams: classic view ---

    public HelmSettings.Upstream upstream(String name) {
        return settings.upstream(name).orElseThrow(() -> OciException.of(ErrorCode.NAME_UNKNOWN, "no helm upstream named " + name));
    }

    /** {@code /helm/<upstream>/index.yaml}: the upstream's index with chart URLs pointing here. */
    public IndexDocument upstreamIndex(String upstream) {
        UpstreamProxy.Rendered r = proxy.index(upstream(upstream));
        return new IndexDocument(r.bytes(), r.etag(), r.stale());
    }

    /** {@code /helm/<upstream>/charts/<file>}: the chart in the content store, fetched and checked first if needed. */
    public StoredChart upstreamChart(String upstream, String file) {
        return proxy.chartFile(upstream(upstream), file);
    }

    /**
     * The repository whose pull rights guard a chart file ({@code helm/<upstream>/<chart>}): the
     * chart the index (or, without an index, storage) says the file is; empty when neither knows it.
     */
    public Optional<RepositoryName> upstreamChartRepository(String upstream, String file) {
        HelmSettings.Upstream up = upstream(upstream);
        return proxy.resolveFile(up, file)
                .map(r -> "helm/" + up.name() + "/" + r.chart()).filter(RepositoryName::isValid).map(RepositoryName::new);
    }

    // --- proxied upstreams: OCI view of helm/<upstream>/<chart> ---

    /** True for {@code helm/<upstream>/<chart>} of a configured upstream. */
    public boolean handles(RepositoryName repo) {
        return ociTarget(repo).isPresent();
    }

    private record OciTarget(HelmSettings.Upstream upstream, String chart) {
    }

    private Optional<OciTarget> ociTarget(RepositoryName repo) {
        String[] parts = repo.value().split("/");
        if (parts.length != 3 || !parts[0].equals("helm")) {
            return Optional.empty();
        }
        return settings.upstream(parts[1]).map(u -> new OciTarget(u, parts[2]));
    }

    /**
     * Before a manifest GET/HEAD of {@code helm/<upstream>/<chart>:<tag>}: makes sure the version the
     * tag names is stored (fetching it if needed). Digest references are served from what is stored.
     */
    public void prepareManifest(RepositoryName repo, Reference reference) {
        Optional<OciTarget> target = ociTarget(repo);
        if (target.isEmpty() || !(reference instanceof Tag tag)) {
            return;
        }
        Optional<IndexModel> model = proxy.modelIfAny(target.get().upstream());
        if (model.isEmpty()) {
            if (store.lookup(repo, tag.value()).isPresent()) {
                return;
            }
            proxy.model(target.get().upstream());   // throws the upstream failure
            return;
        }
        Optional<IndexModel.Entry> entry = model.get().findByTag(target.get().chart(), tag.value());
        if (entry.isPresent()) {
            proxy.ensure(target.get().upstream(), entry.get());
        }
    }

    /** {@code tags/list} of {@code helm/<upstream>/<chart>}: the versions the index lists; empty = ask storage. */
    public Optional<List<String>> tags(RepositoryName repo) {
        Optional<OciTarget> target = ociTarget(repo);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        List<String> stored = store.storage().tags().list(repo).stream().map(Tag::value).toList();
        return proxy.tags(target.get().upstream(), target.get().chart(), stored);
    }

    // --- hosted repositories ---

    public HelmSettings.Hosted hostedNamespace(String namespace) {
        return settings.hostedNamespace(namespace).orElseThrow(() ->
                OciException.of(ErrorCode.NAME_UNKNOWN, "no hosted helm repository " + namespace));
    }

    /** {@code /helm/hosted/<namespace>/index.yaml} with absolute chart URLs under {@code baseUrl}. */
    public IndexDocument hostedIndex(String namespace, String baseUrl) {
        UpstreamProxy.Rendered r = hosted.index(hostedNamespace(namespace), baseUrl);
        return new IndexDocument(r.bytes(), r.etag(), false);
    }

    public Optional<StoredChart> hostedChart(String namespace, String file) {
        return hosted.chartFile(hostedNamespace(namespace), file);
    }

    /** Spools and validates an upload (raw .tgz or multipart field {@code chart}); nothing is stored yet. */
    public PreparedChart prepareUpload(InputStream body, String contentType) {
        Spool spool = ChartUpload.read(body, contentType, spoolDir, settings.limits().maxChartBytes());
        try (InputStream in = spool.open()) {
            ChartReader.Chart chart = charts.read(in);
            return new PreparedChart(spool, chart, layout.image(chart).manifestDigest());
        } catch (InvalidChartException e) {
            spool.close();
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "refused chart: " + e.getMessage());
        } catch (IOException e) {
            spool.close();
            throw OciException.of(ErrorCode.UNAVAILABLE, "reading the spooled upload failed: " + e.getMessage());
        } catch (RuntimeException e) {
            spool.close();
            throw e;
        }
    }

    /** The repository an upload of {@code chart} to {@code namespace} goes to. */
    public RepositoryName hostedRepository(String namespace, String chart) {
        String name = hostedNamespace(namespace).namespace() + "/" + chart;
        if (!RepositoryName.isValid(name)) {
            throw OciException.of(ErrorCode.NAME_INVALID, "chart name `" + chart + "` is not a valid OCI repository-name component");
        }
        return new RepositoryName(name);
    }

    /**
     * Stores a prepared upload as {@code <namespace>/<chart>:<version>} and lists it in the index.
     * An existing version is a 409 unless overwriting is configured (ChartMuseum's rule).
     */
    public StoredChart publish(String namespace, PreparedChart chart) {
        RepositoryName repo = hostedRepository(namespace, chart.name());
        if (!settings.limits().allowOverwrite() && store.storage().tags().resolve(repo, new Tag(chart.tag())).isPresent()) {
            throw OciException.of(ErrorCode.DENIED, chart.name() + " " + chart.version() + " already exists in " + namespace
                    + "; versions are not overwritten").withStatus(409);
        }
        StoredChart stored = store.store(repo, chart.tag(), chart.spool(), chart.chart(), layout);
        hosted.pushed(repo, stored.manifest(), List.of(new Tag(chart.tag())));
        return stored;
    }

    /** Event: a manifest was pushed over {@code /v2} (keeps hosted indexes current). */
    public void manifestPushed(RepositoryName repo, Digest manifest, List<Tag> tags) {
        hosted.pushed(repo, manifest, tags);
    }

    public void manifestDeleted(RepositoryName repo, Digest manifest) {
        hosted.manifestDeleted(repo, manifest);
    }

    public void tagDeleted(RepositoryName repo, Tag tag, Digest manifest) {
        hosted.tagDeleted(repo, tag, manifest);
    }

    /**
     * Check on every manifest push over {@code /v2}: the proxy's own repositories take no pushes, and
     * a Helm chart manifest must carry a chart archive that passes validation, with a config that
     * names the same chart and version. Refuses by throwing.
     */
    public void checkPush(RepositoryName repo, ManifestContent content) {
        if (handles(repo)) {
            throw OciException.of(ErrorCode.DENIED, repo + " is the cache of a proxied helm upstream; it takes no pushes");
        }
        boolean helmConfig = content.config() != null && MediaTypes.HELM_CONFIG.equals(content.config().mediaType());
        List<Descriptor> layers = content.layers().stream().filter(l -> MediaTypes.HELM_CHART_CONTENT.equals(l.mediaType())).toList();
        if (!helmConfig && layers.isEmpty()) {
            return;
        }
        if (layers.size() != 1) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "a Helm chart manifest has exactly one " + MediaTypes.HELM_CHART_CONTENT + " layer");
        }
        Descriptor layer = layers.getFirst();
        Optional<BlobInfo> info = store.storage().blobs().stat(layer.digest());
        if (info.isEmpty()) {
            return;     // the manifest store reports the missing blob
        }
        if (info.get().size() > settings.limits().maxChartBytes()) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "chart archive is larger than " + settings.limits().maxChartBytes() + " bytes");
        }
        ChartReader.Chart chart;
        try (InputStream in = store.open(layer.digest())) {
            chart = charts.read(in);
        } catch (InvalidChartException e) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "refused chart: " + e.getMessage());
        } catch (IOException e) {
            throw OciException.of(ErrorCode.UNAVAILABLE, "reading chart layer " + layer.digest() + ": " + e.getMessage());
        }
        if (helmConfig) {
            try {
                JsonNode config = json.readTree(store.config(content.config().digest()));
                if (!chart.metadata().name().equals(config.path("name").asText())
                        || !chart.metadata().version().equals(config.path("version").asText())) {
                    throw OciException.of(ErrorCode.MANIFEST_INVALID, "Helm config names " + config.path("name").asText() + " "
                            + config.path("version").asText() + " but the chart archive holds " + chart.metadata().name() + " "
                            + chart.metadata().version());
                }
            } catch (IOException e) {
                throw OciException.of(ErrorCode.MANIFEST_INVALID, "Helm config blob is not JSON: " + e.getMessage());
            } catch (OciException e) {
                if (e.code() == ErrorCode.BLOB_UNKNOWN) {
                    return;
                }
                throw e;
            }
        }
    }

    // --- content ---

    /** The archive bytes of a stored chart. */
    public InputStream open(StoredChart chart) {
        return store.open(chart.layer());
    }

    // --- mirroring ---

    /** Copies every version the rules select into the store; failures are reported, not thrown. */
    public MirrorReport mirror(List<HelmSettings.MirrorRule> rules) {
        int fetched = 0;
        int present = 0;
        List<String> failures = new ArrayList<>();
        for (HelmSettings.MirrorRule rule : rules) {
            Optional<HelmSettings.Upstream> up = settings.upstream(rule.upstream());
            if (up.isEmpty()) {
                failures.add(rule.upstream() + "/" + rule.chart() + ": no such upstream");
                continue;
            }
            IndexModel model;
            try {
                model = proxy.model(up.get());
            } catch (OciException e) {
                failures.add(rule.upstream() + "/" + rule.chart() + ": " + e.getMessage());
                continue;
            }
            List<IndexModel.Entry> selected = model.versions(rule.chart()).stream().filter(e -> rule.versions().matches(e.version())).toList();
            if (selected.isEmpty()) {
                failures.add(rule.upstream() + "/" + rule.chart() + ": no version matches `" + rule.versions() + "`");
                continue;
            }
            for (IndexModel.Entry e : selected) {
                long before = proxy.chartFetches();
                try {
                    proxy.ensure(up.get(), e);
                    if (proxy.chartFetches() > before) {
                        fetched++;
                    } else {
                        present++;
                    }
                } catch (OciException ex) {
                    failures.add(rule.upstream() + "/" + e.chart() + " " + e.version() + ": " + ex.getMessage());
                }
            }
        }
        return new MirrorReport(fetched, present, failures);
    }

    /** Chart downloads made from upstreams since start (tests, metrics). */
    public long upstreamChartFetches() {
        return proxy.chartFetches();
    }
}
