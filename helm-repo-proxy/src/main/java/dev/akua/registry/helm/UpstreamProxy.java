package dev.akua.registry.helm;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.akua.registry.helm.chart.ChartReader;
import dev.akua.registry.helm.chart.IndexReader;
import dev.akua.registry.helm.chart.InvalidChartException;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteException;
import dev.akua.registry.remote.RemoteRequest;
import dev.akua.registry.remote.RemoteResponse;

/**
 * The proxy of classic Helm repositories.
 * <p>
 * <b>Index</b>: fetched through {@link RemoteClient} (address policy, caps, redirects, fail closed),
 * parsed with the shared bounded {@link IndexReader}, served from memory and revalidated with
 * {@code If-None-Match}/{@code If-Modified-Since} once {@code revalidateAfter} has passed. Every good
 * copy is also written to storage, so the last good copy survives restarts; when the upstream fails
 * (down, error status, or a document that does not parse) the last good copy keeps being served.
 * <p>
 * <b>Charts</b>: fetched once, spooled to a local file, checked against the index {@code digest}
 * before anything is kept, validated ({@link ChartReader}), then stored as an OCI image in
 * {@code helm/<upstream>/<chart>:<version>} ({@link HelmOciLayout}). Concurrent requests for one
 * chart share one fetch ({@link SingleFlight}). A stored chart whose layer digest no longer matches
 * the index (re-published upstream) is fetched again; while the upstream is down, stored charts are
 * served as they are.
 */
final class UpstreamProxy {
    private static final Logger LOG = Logger.getLogger(UpstreamProxy.class.getName());

    /** A rendered index and its entity tag. */
    record Rendered(byte[] bytes, String etag, boolean stale) {
    }

    private static final class IndexState {
        final IndexModel model;
        final String etag;
        final String lastModified;
        final long validatedAtNanos;
        final boolean stale;
        volatile Rendered rendered;

        IndexState(IndexModel model, String etag, String lastModified, long validatedAtNanos, boolean stale) {
            this.model = model;
            this.etag = etag;
            this.lastModified = lastModified;
            this.validatedAtNanos = validatedAtNanos;
            this.stale = stale;
        }

        IndexState revalidated(long now, boolean stale, String etag, String lastModified) {
            IndexState s = new IndexState(model, etag, lastModified, now, stale);
            s.rendered = rendered == null ? null : new Rendered(rendered.bytes(), rendered.etag(), stale);
            return s;
        }
    }

    private final HelmSettings settings;
    private final RemoteClient remote;
    private final HelmStore store;
    private final IndexReader indexReader;
    private final ChartReader charts;
    private final HelmOciLayout layout;
    private final Path spoolDir;
    private final ObjectMapper yaml;
    private final JsonMapper json;
    private final ConcurrentHashMap<String, IndexState> states = new ConcurrentHashMap<>();
    private final SingleFlight<String, IndexState> indexFlights = new SingleFlight<>();
    private final SingleFlight<String, StoredChart> chartFlights = new SingleFlight<>();
    private final AtomicLong chartFetches = new AtomicLong();

    UpstreamProxy(HelmSettings settings, RemoteClient remote, HelmStore store, IndexReader indexReader, ChartReader charts,
                  HelmOciLayout layout, Path spoolDir, ObjectMapper yaml, JsonMapper json) {
        this.settings = settings;
        this.remote = remote;
        this.store = store;
        this.indexReader = indexReader;
        this.charts = charts;
        this.layout = layout;
        this.spoolDir = spoolDir;
        this.yaml = yaml;
        this.json = json;
    }

    static RepositoryName repository(HelmSettings.Upstream up, String chart) {
        String name = "helm/" + up.name() + "/" + chart;
        if (!RepositoryName.isValid(name)) {
            throw OciException.of(ErrorCode.NAME_INVALID, "chart name `" + chart
                    + "` cannot be kept in the content store: it is not a valid OCI repository-name component (lower case, digits, . _ -)");
        }
        return new RepositoryName(name);
    }

    long chartFetches() {
        return chartFetches.get();
    }

    // --- index ---

    /** The rewritten index: every chart URL points at {@code charts/<chart>-<version>.tgz} of this registry. */
    Rendered index(HelmSettings.Upstream up) {
        IndexState state = current(up);
        Rendered r = state.rendered;
        if (r == null) {
            byte[] bytes = state.model.render(yaml, e -> "charts/" + URLEncoder.encode(ChartNames.fileName(e.chart(), e.version()),
                    StandardCharsets.UTF_8).replace("+", "%2B"));
            r = new Rendered(bytes, "\"" + sha256(bytes).substring(0, 32) + "\"", state.stale);
            state.rendered = r;
        }
        return r;
    }

    /** The current index: fresh, revalidated, newly fetched, or the last good copy when the upstream fails. */
    IndexModel model(HelmSettings.Upstream up) {
        return current(up).model;
    }

    /** The index if one can be had (fetched or last good); empty when the upstream failed and none was ever kept. */
    Optional<IndexModel> modelIfAny(HelmSettings.Upstream up) {
        try {
            return Optional.of(current(up).model);
        } catch (OciException e) {
            if (e.code() == ErrorCode.UNAVAILABLE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private IndexState current(HelmSettings.Upstream up) {
        IndexState state = states.get(up.name());
        if (state != null && System.nanoTime() - state.validatedAtNanos < settings.limits().revalidateAfter().toNanos()) {
            return state;
        }
        return indexFlights.run(up.name(), () -> {
            IndexState latest = states.get(up.name());
            if (latest != null && latest != state
                    && System.nanoTime() - latest.validatedAtNanos < settings.limits().revalidateAfter().toNanos()) {
                return latest;
            }
            if (latest == null) {
                latest = loadKept(up);
            }
            IndexState next = refresh(up, latest);
            states.put(up.name(), next);
            return next;
        });
    }

    private IndexState refresh(HelmSettings.Upstream up, IndexState previous) {
        URI indexUri = up.indexUrl();
        RemoteRequest request = RemoteRequest.get(indexUri).withMaxBodyBytes(settings.limits().maxIndexBytes())
                .withHeader("Accept", "application/x-yaml, text/yaml, */*");
        if (up.credentials() != null) {
            request = request.withCredentials(up.credentials());
        }
        if (previous != null) {
            request = request.withValidators(previous.etag, previous.lastModified);
        }
        try (RemoteResponse response = remote.fetch(request)) {
            long now = System.nanoTime();
            if (response.notModified() && previous != null) {
                return previous.revalidated(now, false, response.etag().orElse(previous.etag),
                        response.lastModified().orElse(previous.lastModified));
            }
            try (Spool spool = Spool.of(response.body(), spoolDir, settings.limits().maxIndexBytes())) {
                IndexModel model;
                try (InputStream in = spool.open()) {
                    model = IndexModel.read(in, indexReader);
                }
                String etag = response.etag().orElse(null);
                String lastModified = response.lastModified().orElse(null);
                keep(up, spool, etag, lastModified);
                return new IndexState(model, etag, lastModified, now, false);
            }
        } catch (IOException | OciException e) {
            String why = e instanceof RemoteException r ? r.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + r.getMessage()
                    : e.getMessage();
            if (previous != null) {
                LOG.log(Level.WARNING, "helm upstream " + up.name() + ": cannot refresh " + indexUri
                        + " (" + why + "); serving the last good copy");
                return previous.revalidated(System.nanoTime(), true, previous.etag, previous.lastModified);
            }
            throw HelmStore.unavailable("helm upstream " + up.name() + ": cannot read " + indexUri + " (" + why
                    + ") and no earlier copy is kept", e);
        }
    }

    private String indexPath(HelmSettings.Upstream up) {
        return "/helm/upstreams/" + up.name() + "/index.yaml";
    }

    private String metaPath(HelmSettings.Upstream up) {
        return "/helm/upstreams/" + up.name() + "/index.json";
    }

    /** Writes the raw upstream document and its validators as the last good copy. */
    private void keep(HelmSettings.Upstream up, Spool spool, String etag, String lastModified) {
        try {
            store.writeState(indexPath(up), spool.open());
            ObjectNode meta = json.createObjectNode();
            meta.put("url", up.indexUrl().toString());
            meta.put("sha256", spool.sha256Hex());
            if (etag != null) {
                meta.put("etag", etag);
            }
            if (lastModified != null) {
                meta.put("lastModified", lastModified);
            }
            store.writeState(metaPath(up), json.writeValueAsBytes(meta));
        } catch (IOException | OciException e) {
            LOG.log(Level.WARNING, "helm upstream " + up.name() + ": cannot keep the index copy", e);
        }
    }

    /** The last good copy from storage (after a restart), or null. Never trusted across a change of URL. */
    private IndexState loadKept(HelmSettings.Upstream up) {
        Optional<byte[]> metaBytes = store.readState(metaPath(up));
        if (metaBytes.isEmpty()) {
            return null;
        }
        try {
            JsonNode meta = json.readTree(metaBytes.get());
            if (!up.indexUrl().toString().equals(meta.path("url").asText())) {
                return null;
            }
            IndexModel model;
            try (InputStream in = store.openState(indexPath(up))) {
                model = IndexModel.read(in, indexReader);
            }
            return new IndexState(model, meta.path("etag").asText(null), meta.path("lastModified").asText(null),
                    System.nanoTime() - settings.limits().revalidateAfter().toNanos() - 1, false);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "helm upstream " + up.name() + ": the kept index copy is unreadable; ignoring it", e);
            return null;
        }
    }

    // --- charts ---

    /** Serves {@code charts/<file>}: the stored chart, fetched first if it is not stored yet. */
    StoredChart chartFile(HelmSettings.Upstream up, String file) {
        Optional<IndexModel> model = modelIfAny(up);
        if (model.isPresent()) {
            Optional<ChartNames.ChartVersionRef> ref = model.get().parseFileName(file);
            if (ref.isPresent()) {
                return ensure(up, model.get().find(ref.get().chart(), ref.get().version()).orElseThrow());
            }
        }
        // No index at all (upstream down before any copy was kept) or a file it does not list: storage alone decides.
        Optional<StoredChart> stored = ChartNames.parseFileName(file, (chart, version) -> storedOnly(up, chart, version).isPresent())
                .flatMap(ref -> storedOnly(up, ref.chart(), ref.version()));
        return stored.orElseThrow(() -> OciException.of(ErrorCode.BLOB_UNKNOWN,
                "helm upstream " + up.name() + " lists no chart file " + file).withStatus(404));
    }

    /** Which chart version a file name means: by the index, else (no index at all) by what is stored. */
    Optional<ChartNames.ChartVersionRef> resolveFile(HelmSettings.Upstream up, String file) {
        Optional<IndexModel> model = modelIfAny(up);
        if (model.isPresent()) {
            Optional<ChartNames.ChartVersionRef> ref = model.get().parseFileName(file);
            if (ref.isPresent()) {
                return ref;
            }
        }
        return ChartNames.parseFileName(file, (chart, version) -> storedOnly(up, chart, version).isPresent());
    }

    private Optional<StoredChart> storedOnly(HelmSettings.Upstream up, String chart, String version) {
        String name = "helm/" + up.name() + "/" + chart;
        if (!RepositoryName.isValid(name) || !ChartNames.isTaggable(version)) {
            return Optional.empty();
        }
        return store.lookup(new RepositoryName(name), ChartNames.tagOf(version));
    }

    /**
     * The chart version of the index in the content store: the stored copy when its digest still
     * matches the index, else fetched (once, however many callers ask at the same time).
     */
    StoredChart ensure(HelmSettings.Upstream up, IndexModel.Entry entry) {
        RepositoryName repo = repository(up, entry.chart());
        if (!ChartNames.isTaggable(entry.version())) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "chart version `" + entry.version()
                    + "` cannot be an OCI tag, so it cannot be kept in the content store").withStatus(422);
        }
        String tag = ChartNames.tagOf(entry.version());
        Optional<StoredChart> stored = store.lookup(repo, tag);
        if (stored.isPresent() && matches(stored.get(), entry)) {
            return stored.get();
        }
        return chartFlights.run(repo + ":" + tag, () -> {
            Optional<StoredChart> again = store.lookup(repo, tag);
            if (again.isPresent() && matches(again.get(), entry)) {
                return again.get();
            }
            return fetch(up, entry, repo, tag);
        });
    }

    private static boolean matches(StoredChart stored, IndexModel.Entry entry) {
        return entry.digestHex() == null || entry.digestHex().equals(stored.layer().hex());
    }

    private StoredChart fetch(HelmSettings.Upstream up, IndexModel.Entry entry, RepositoryName repo, String tag) {
        if (entry.urls().isEmpty()) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "helm upstream " + up.name() + " lists no URL for "
                    + entry.chart() + " " + entry.version()).withStatus(422);
        }
        URI chartUri = chartUri(up, entry.urls().getFirst());
        RemoteRequest request = RemoteRequest.get(chartUri).withMaxBodyBytes(settings.limits().maxChartBytes());
        // Like Helm without --pass-credentials: repository credentials go to the repository's own origin only.
        if (up.credentials() != null && sameOrigin(chartUri, up.url())) {
            request = request.withCredentials(up.credentials());
        }
        chartFetches.incrementAndGet();
        Spool spool;
        try (RemoteResponse response = remote.fetch(request)) {
            spool = Spool.of(response.body(), spoolDir, settings.limits().maxChartBytes());
        } catch (Spool.TooLarge e) {
            throw HelmStore.unavailable("helm upstream " + up.name() + ": " + chartUri + " is " + e.getMessage(), e);
        } catch (RemoteException e) {
            throw HelmStore.unavailable("helm upstream " + up.name() + ": cannot download " + chartUri + " ("
                    + e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw HelmStore.unavailable("helm upstream " + up.name() + ": cannot download " + chartUri + ": " + e.getMessage(), e);
        }
        try (spool) {
            if (entry.digestHex() != null && !entry.digestHex().equals(spool.sha256Hex())) {
                throw OciException.of(ErrorCode.DIGEST_INVALID, "helm upstream " + up.name() + ": " + chartUri + " has sha256:"
                        + spool.sha256Hex() + " but index.yaml publishes sha256:" + entry.digestHex() + " for " + entry.chart()
                        + " " + entry.version() + "; nothing was kept", java.util.Map.of("expected", "sha256:" + entry.digestHex(),
                        "actual", "sha256:" + spool.sha256Hex())).withStatus(422);
            }
            if (entry.digestHex() == null) {
                LOG.info("helm upstream " + up.name() + ": index.yaml has no digest for " + entry.chart() + " " + entry.version()
                        + "; keeping sha256:" + spool.sha256Hex() + " as downloaded");
            }
            ChartReader.Chart chart = validate(spool, up.name() + ": " + chartUri);
            if (!chart.metadata().name().equals(entry.chart()) || !chart.metadata().version().equals(entry.version())) {
                throw OciException.of(ErrorCode.MANIFEST_INVALID, "helm upstream " + up.name() + ": " + chartUri + " holds "
                        + chart.metadata().name() + " " + chart.metadata().version() + ", but index.yaml lists it as "
                        + entry.chart() + " " + entry.version()).withStatus(422);
            }
            return store.store(repo, tag, spool, chart, layout);
        }
    }

    ChartReader.Chart validate(Spool spool, String what) {
        try (InputStream in = spool.open()) {
            return charts.read(in);
        } catch (InvalidChartException e) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "refused chart from " + what + ": " + e.getMessage()).withStatus(422);
        } catch (IOException e) {
            throw HelmStore.unavailable("reading spooled chart " + spool.file() + ": " + e.getMessage(), e);
        }
    }

    private static URI chartUri(HelmSettings.Upstream up, String url) {
        URI uri;
        try {
            uri = up.url().resolve(new URI(url.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "helm upstream " + up.name() + " has an unusable chart URL: " + url)
                    .withStatus(422);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "helm upstream " + up.name() + " has a chart URL that is not plain http(s): "
                    + url).withStatus(422);
        }
        if (!up.allowsChartHost(uri)) {
            throw OciException.of(ErrorCode.DENIED, "helm upstream " + up.name() + ": chart host " + uri.getHost()
                    + " is neither the repository's host nor in its allowedChartHosts");
        }
        return uri;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && HelmSettings.effectivePort(a) == HelmSettings.effectivePort(b);
    }

    /** Tags of {@code helm/<upstream>/<chart>}: every taggable version the index lists, plus what is stored. */
    Optional<List<String>> tags(HelmSettings.Upstream up, String chart, List<String> storedTags) {
        Optional<IndexModel> model = modelIfAny(up);
        if (model.isEmpty()) {
            return Optional.empty();
        }
        java.util.TreeSet<String> tags = new java.util.TreeSet<>(storedTags);
        for (IndexModel.Entry e : model.get().versions(chart)) {
            if (ChartNames.isTaggable(e.version())) {
                tags.add(ChartNames.tagOf(e.version()));
            }
        }
        // A chart the index does not list is not this source's to answer: the registry falls back to storage.
        return model.get().versions(chart).isEmpty() ? Optional.empty() : Optional.of(new ArrayList<>(tags));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
