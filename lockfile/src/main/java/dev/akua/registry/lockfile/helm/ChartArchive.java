package dev.akua.registry.lockfile.helm;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import dev.akua.registry.helm.chart.ChartReader;

/**
 * Reads a chart archive (.tgz) in one pass while it streams, through the shared {@link ChartReader}
 * (module {@code helm-chart}; the Helm-repository proxy applies the same rules): the sha256 of the
 * exact bytes (what the lock pins) and the {@code dependencies} of its {@code Chart.yaml}. Archives
 * Helm's loader would refuse (hostile entries, over its size limits, an insane Chart.yaml) are refused.
 * The Chart.yaml result is only meaningful once the caller has checked the digest.
 */
public final class ChartArchive {
    /**
     * A dependency declared in Chart.yaml.
     *
     * @param name       chart name
     * @param version    version or range
     * @param repository repository URL, {@code oci://} path, {@code file://} path or empty
     */
    public record ChartDependency(String name, String version, String repository) {
    }

    /**
     * The outcome of reading an archive.
     *
     * @param sha256Hex    hex sha256 of the archive bytes
     * @param size         archive size in bytes
     * @param chartName    {@code name} of Chart.yaml
     * @param dependencies Chart.yaml dependencies
     */
    public record Contents(String sha256Hex, long size, String chartName, List<ChartDependency> dependencies) {
        public Contents {
            dependencies = List.copyOf(dependencies);
        }
    }

    private final ChartReader reader;

    public ChartArchive(ChartReader reader) {
        this.reader = reader;
    }

    /** Reads and hashes the whole stream; fails on a refused archive or when a limit is passed. */
    public Contents read(InputStream archive) throws IOException {
        ChartReader.Chart chart = reader.read(archive);
        List<ChartDependency> dependencies = chart.metadata().dependencies().stream()
                .map(d -> new ChartDependency(d.name(), d.version().isEmpty() ? "*" : d.version(), d.repository()))
                .toList();
        return new Contents(chart.sha256Hex(), chart.size(), chart.metadata().name(), dependencies);
    }
}
