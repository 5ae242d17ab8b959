package dev.akua.registry.helm;

import dev.akua.registry.helm.chart.ChartReader;
import dev.akua.registry.oci.Digest;

/**
 * An uploaded chart archive that has been spooled and validated but not stored yet, so the caller
 * can authorize the push to {@code <namespace>/<name>} before anything enters the store. Close it
 * (it deletes the spooled file) whether or not it was published.
 */
public final class PreparedChart implements AutoCloseable {
    private final Spool spool;
    private final ChartReader.Chart chart;
    private final Digest manifestDigest;

    PreparedChart(Spool spool, ChartReader.Chart chart, Digest manifestDigest) {
        this.spool = spool;
        this.chart = chart;
        this.manifestDigest = manifestDigest;
    }

    /** The digest the chart's OCI manifest will have once published (deterministic, {@code HelmOciLayout}). */
    public Digest manifestDigest() {
        return manifestDigest;
    }

    public String name() {
        return chart.metadata().name();
    }

    public String version() {
        return chart.metadata().version();
    }

    /** The tag the version is stored under ({@code +} as {@code _}). */
    public String tag() {
        return ChartNames.tagOf(chart.metadata().version());
    }

    public String sha256Hex() {
        return spool.sha256Hex();
    }

    Spool spool() {
        return spool;
    }

    ChartReader.Chart chart() {
        return chart;
    }

    @Override
    public void close() {
        spool.close();
    }
}
