package dev.akua.registry.publisher;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Annotation keys on published artifacts (Chart.yaml annotations, manifest annotations, bundle
 * layers). The {@code org.opencontainers.image.*} keys are the image-spec's pre-defined ones.
 */
public final class PublishAnnotations {
    /** Digest of the akua package the manifests were rendered from. */
    public static final String SOURCE_DIGEST = "dev.akua.source.digest";
    /** Where that package lives, when the publisher said. */
    public static final String SOURCE_REF = "dev.akua.source.ref";
    /** akua {@code hash_dir} digest of the rendered manifest set ({@link RenderedInput#renderedDigest()}). */
    public static final String RENDERED_DIGEST = "dev.akua.rendered.digest";

    public static final String OCI_CREATED = "org.opencontainers.image.created";
    public static final String OCI_TITLE = "org.opencontainers.image.title";
    public static final String OCI_VERSION = "org.opencontainers.image.version";
    public static final String OCI_DESCRIPTION = "org.opencontainers.image.description";

    private PublishAnnotations() {
    }

    /** The akua provenance annotations of a request and its input, sorted by key. */
    static Map<String, String> source(PublishRequest request, RenderedInput input) {
        Map<String, String> out = new TreeMap<>();
        out.put(SOURCE_DIGEST, request.sourceDigest().toString());
        if (request.sourceRef() != null) {
            out.put(SOURCE_REF, request.sourceRef());
        }
        out.put(RENDERED_DIGEST, input.renderedDigest().toString());
        return out;
    }

    /** RFC 3339 in UTC with seconds, as Helm writes {@code created}. */
    static String rfc3339(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
}
