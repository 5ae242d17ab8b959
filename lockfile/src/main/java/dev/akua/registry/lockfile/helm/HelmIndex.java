package dev.akua.registry.lockfile.helm;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of a Helm repository's index.yaml that lock resolution needs: per chart name, each
 * version with its download URLs and the sha256 the repository publishes for the archive.
 *
 * @param indexUri the URI the index was read from (relative chart URLs resolve against the repository base)
 * @param charts   chart name → versions, in index order
 */
public record HelmIndex(URI indexUri, Map<String, List<ChartVersion>> charts) {
    public HelmIndex {
        Objects.requireNonNull(indexUri, "indexUri");
        charts = Map.copyOf(charts);
    }

    /**
     * One entry of {@code entries.<chart>}.
     *
     * @param name    chart name
     * @param version chart version as written
     * @param urls    download URLs (absolute, or relative to the repository)
     * @param digest  the hex sha256 of the archive, or null when the index has none
     */
    public record ChartVersion(String name, String version, List<String> urls, String digest) {
        public ChartVersion {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            urls = List.copyOf(urls);
        }
    }

    public List<ChartVersion> versions(String chart) {
        return charts.getOrDefault(chart, List.of());
    }

    /** A rough size for cache weighing. */
    int weight() {
        int w = 1;
        for (List<ChartVersion> versions : charts.values()) {
            w += versions.size();
        }
        return w;
    }
}
