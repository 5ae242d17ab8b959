package dev.akua.registry.helm.chart;

import java.io.IOException;

/**
 * A chart archive or {@code Chart.yaml} that is refused: not a gzip tar, hostile entries, over a
 * limit, or metadata Helm would not load. The message names the rule that was broken.
 */
public final class InvalidChartException extends IOException {
    public InvalidChartException(String message) {
        super(message);
    }

    public InvalidChartException(String message, Throwable cause) {
        super(message, cause);
    }
}
