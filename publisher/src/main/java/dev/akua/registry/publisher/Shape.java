package dev.akua.registry.publisher;

import java.util.Arrays;
import java.util.Locale;

/** The distribution shapes rendered manifests can be published as ({@code ?as=}). */
public enum Shape {
    /** A Helm chart: one template per manifest, pushed with Helm's media types ({@code helm template oci://…} reproduces the manifests). */
    HELM_CHART("helm-chart"),
    /** An OCI 1.1 artifact with one layer per manifest file, titled with its file name (docs/publishing.md). */
    OCI_BUNDLE("oci-bundle");

    private final String wireName;

    Shape(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the API and CLI ({@code helm-chart}, {@code oci-bundle}). */
    public String wireName() {
        return wireName;
    }

    /** Parses a wire name; the error lists the accepted ones. */
    public static Shape parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        for (Shape s : values()) {
            if (s.wireName.equals(v)) {
                return s;
            }
        }
        throw new PublishRefusal(PublishRefusal.Kind.INVALID_REQUEST, "unknown shape '" + value + "'; use one of "
                + String.join(", ", Arrays.stream(values()).map(Shape::wireName).toList()), null);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
