package dev.akua.registry.helm;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.semver4j.Semver;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.storage.manifest.StoredManifest;

/**
 * The index.yaml of hosted namespaces, kept up to date by events (push, manifest delete, tag delete)
 * instead of rescanning repositories: each listed chart version is one small record under
 * {@code /helm/hosted/<namespace>/_entries/<chart>/<tag>} (the index entry plus the manifest digest
 * it came from), written when a Helm chart is pushed with its version as tag and removed when that
 * manifest or tag goes. The records are read once per namespace (and again after
 * {@code hostedReload}, to see changes made by other replicas); the served YAML is rendered once per
 * change and base URL. Chart URLs are absolute, as hosted repositories publish them.
 */
final class HostedIndexes {
    private static final Logger LOG = Logger.getLogger(HostedIndexes.class.getName());
    private static final int MAX_RENDERED_BASES = 16;

    private record Entry(String chart, String version, String tag, Digest manifest, ObjectNode node) {
    }

    private final class Namespace {
        final HelmSettings.Hosted hosted;
        Map<String, Map<String, Entry>> charts;
        long loadedAtNanos;
        String lastChange;
        final Map<String, UpstreamProxy.Rendered> rendered = new ConcurrentHashMap<>();

        Namespace(HelmSettings.Hosted hosted) {
            this.hosted = hosted;
        }

        String dir() {
            return "/helm/hosted/" + hosted.namespace() + "/_entries";
        }
    }

    private final HelmSettings settings;
    private final HelmStore store;
    private final ObjectMapper yaml;
    private final JsonMapper json;
    private final Clock clock;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();

    HostedIndexes(HelmSettings settings, HelmStore store, ObjectMapper yaml, JsonMapper json, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.yaml = yaml;
        this.json = json;
        this.clock = clock;
        for (HelmSettings.Hosted h : settings.hosted()) {
            namespaces.put(h.namespace(), new Namespace(h));
        }
    }

    Optional<HelmSettings.Hosted> namespaceOf(RepositoryName repo) {
        return settings.hosted().stream().filter(h -> h.chartOf(repo).isPresent()).findFirst();
    }

    /** index.yaml of a namespace with chart URLs under {@code baseUrl} (scheme://host[:port], no trailing slash). */
    UpstreamProxy.Rendered index(HelmSettings.Hosted hosted, String baseUrl) {
        Namespace ns = namespaces.get(hosted.namespace());
        synchronized (ns) {
            loaded(ns);
            UpstreamProxy.Rendered cached = ns.rendered.get(baseUrl);
            if (cached != null) {
                return cached;
            }
            Map<String, List<IndexModel.Entry>> charts = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, Entry>> chart : new TreeMap<>(ns.charts).entrySet()) {
                List<Entry> versions = new ArrayList<>(chart.getValue().values());
                versions.sort(Comparator.comparing((Entry e) -> Semver.parse(e.version()), Comparator.nullsFirst(Comparator.naturalOrder()))
                        .reversed());
                List<IndexModel.Entry> list = new ArrayList<>();
                for (Entry e : versions) {
                    list.add(new IndexModel.Entry(e.chart(), e.version(), e.node(), List.of(), e.node().path("digest").asText(null)));
                }
                charts.put(chart.getKey(), list);
            }
            String prefix = baseUrl + "/helm/hosted/" + hosted.namespace() + "/charts/";
            byte[] bytes = new IndexModel(charts, ns.lastChange).render(yaml, e -> prefix
                    + URLEncoder.encode(ChartNames.fileName(e.chart(), e.version()), StandardCharsets.UTF_8).replace("+", "%2B"));
            UpstreamProxy.Rendered r = new UpstreamProxy.Rendered(bytes, "\"" + UpstreamProxy.sha256(bytes).substring(0, 32) + "\"", false);
            if (ns.rendered.size() >= MAX_RENDERED_BASES) {
                ns.rendered.clear();
            }
            ns.rendered.put(baseUrl, r);
            return r;
        }
    }

    /** The stored chart behind {@code charts/<chart>-<version>.tgz} of a namespace. */
    Optional<StoredChart> chartFile(HelmSettings.Hosted hosted, String file) {
        Namespace ns = namespaces.get(hosted.namespace());
        Optional<ChartNames.ChartVersionRef> ref;
        synchronized (ns) {
            loaded(ns);
            ref = ChartNames.parseFileName(file, (chart, version) -> ns.charts.getOrDefault(chart, Map.of())
                    .containsKey(ChartNames.tagOf(version)));
        }
        return ref.flatMap(r -> store.lookup(new RepositoryName(hosted.namespace() + "/" + r.chart()), ChartNames.tagOf(r.version())));
    }

    /** A manifest was stored in a hosted namespace: list it if it is a Helm chart tagged with its version. */
    void pushed(RepositoryName repo, Digest manifest, List<Tag> tags) {
        Optional<HelmSettings.Hosted> hosted = namespaceOf(repo);
        if (hosted.isEmpty() || tags.isEmpty()) {
            return;
        }
        String chart = hosted.get().chartOf(repo).orElseThrow();
        Optional<StoredManifest> stored = store.storage().manifests().get(repo, manifest);
        if (stored.isEmpty()) {
            return;
        }
        ManifestContent content = store.parse(stored.get().bytes(), stored.get().revision().mediaType());
        Optional<Descriptor> layer = store.chartLayer(stored.get());
        if (content == null || layer.isEmpty()) {
            return;
        }
        JsonNode config;
        try {
            config = json.readTree(store.config(content.config().digest()));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "hosted chart " + repo + "@" + manifest + ": unreadable Helm config; not listed", e);
            return;
        }
        String version = config.path("version").asText("");
        String tag = ChartNames.tagOf(version);
        if (version.isEmpty() || !config.path("name").asText("").equals(chart) || tags.stream().noneMatch(t -> t.value().equals(tag))) {
            return;
        }
        ObjectNode node = config.isObject() ? ((ObjectNode) config).deepCopy() : json.createObjectNode();
        node.remove("urls");
        node.put("created", created(content));
        node.put("digest", layer.get().digest().hex());
        Entry entry = new Entry(chart, version, tag, manifest, node);
        Namespace ns = namespaces.get(hosted.get().namespace());
        ObjectNode record = json.createObjectNode();
        record.put("manifest", manifest.toString());
        record.set("entry", node);
        try {
            store.writeState(ns.dir() + "/" + chart + "/" + tag, json.writeValueAsBytes(record));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        synchronized (ns) {
            if (ns.charts != null) {
                ns.charts.computeIfAbsent(chart, k -> new TreeMap<>()).put(tag, entry);
            }
            changed(ns);
        }
    }

    /** A manifest was deleted: drop every version record that came from it. */
    void manifestDeleted(RepositoryName repo, Digest manifest) {
        forEntries(repo, e -> e.manifest().equals(manifest));
    }

    /** A tag was deleted: drop its version record if it pointed at that manifest. */
    void tagDeleted(RepositoryName repo, Tag tag, Digest manifest) {
        forEntries(repo, e -> e.tag().equals(tag.value()) && e.manifest().equals(manifest));
    }

    private void forEntries(RepositoryName repo, java.util.function.Predicate<Entry> drop) {
        Optional<HelmSettings.Hosted> hosted = namespaceOf(repo);
        if (hosted.isEmpty()) {
            return;
        }
        String chart = hosted.get().chartOf(repo).orElseThrow();
        Namespace ns = namespaces.get(hosted.get().namespace());
        synchronized (ns) {
            loaded(ns);
            Map<String, Entry> versions = ns.charts.getOrDefault(chart, Map.of());
            List<Entry> gone = versions.values().stream().filter(drop).toList();
            for (Entry e : gone) {
                store.deleteState(ns.dir() + "/" + chart + "/" + e.tag());
                versions.remove(e.tag());
            }
            if (versions.isEmpty()) {
                ns.charts.remove(chart);
            }
            if (!gone.isEmpty()) {
                changed(ns);
            }
        }
    }

    private void changed(Namespace ns) {
        ns.lastChange = clock.instant().toString();
        ns.rendered.clear();
    }

    /** Reads the namespace's records when not read yet, or again once {@code hostedReload} has passed. */
    private void loaded(Namespace ns) {
        long now = System.nanoTime();
        if (ns.charts != null && now - ns.loadedAtNanos < settings.limits().hostedReload().toNanos()) {
            return;
        }
        Map<String, Map<String, Entry>> charts = new TreeMap<>();
        String latest = null;
        for (String chartDir : store.listState(ns.dir())) {
            String chart = chartDir.substring(chartDir.lastIndexOf('/') + 1);
            for (String file : store.listState(chartDir)) {
                Optional<byte[]> bytes = store.readState(file);
                if (bytes.isEmpty()) {
                    continue;
                }
                try {
                    JsonNode record = json.readTree(bytes.get());
                    ObjectNode node = (ObjectNode) record.get("entry");
                    String version = node.path("version").asText();
                    Entry e = new Entry(chart, version, ChartNames.tagOf(version), Digest.parse(record.path("manifest").asText()), node);
                    charts.computeIfAbsent(chart, k -> new TreeMap<>()).put(e.tag(), e);
                    String created = node.path("created").asText("");
                    if (latest == null || created.compareTo(latest) > 0) {
                        latest = created;
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "hosted index record " + file + " is unreadable; skipped", e);
                }
            }
        }
        boolean changed = ns.charts == null || !sameKeys(ns.charts, charts);
        ns.charts = charts;
        ns.loadedAtNanos = now;
        if (ns.lastChange == null) {
            ns.lastChange = latest == null ? Instant.EPOCH.toString() : latest;
        }
        if (changed) {
            ns.rendered.clear();
        }
    }

    private static boolean sameKeys(Map<String, Map<String, Entry>> a, Map<String, Map<String, Entry>> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (String k : a.keySet()) {
            Map<String, Entry> x = a.get(k);
            Map<String, Entry> y = b.get(k);
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            for (String t : x.keySet()) {
                if (!x.get(t).manifest().equals(y.get(t).manifest())) {
                    return false;
                }
            }
        }
        return true;
    }

    private String created(ManifestContent content) {
        String created = content.annotations().get(HelmOciLayout.CREATED);
        if (created != null) {
            try {
                return Instant.parse(created).toString();
            } catch (DateTimeParseException e) {
                // fall through
            }
        }
        return clock.instant().toString();
    }
}
