package dev.akua.registry.oci;

/** Media types the registry treats specially. Everything else is passed through as opaque. */
public final class MediaTypes {
    private MediaTypes() {
    }

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String OCI_LAYOUT_HEADER = "application/vnd.oci.layout.header.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    /** Docker schema 1; deprecated, refused on push. */
    public static final String DOCKER_MANIFEST_V1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String DOCKER_MANIFEST_V1 = "application/vnd.docker.distribution.manifest.v1+json";

    /** Layers a registry must not require (image-spec layer.md "Non-distributable layers", deprecated but valid). */
    public static final String OCI_LAYER_NONDISTRIBUTABLE_TAR = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_GZIP = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_ZSTD = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
    public static final String DOCKER_FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    // akua (shared/design/akua-wire-contract.md §2.1, §3.3, §3.5)
    public static final String AKUA_PACKAGE_CONTENT = "application/vnd.akua.package.content.v1.tar+gzip";
    public static final String AKUA_PACKAGE_CONFIG = "application/vnd.akua.package.config.v1+json";
    public static final String COSIGN_SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String DSSE_ENVELOPE = "application/vnd.dsse.envelope.v1+json";

    // Helm (helm push)
    public static final String HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json";
    public static final String HELM_CHART_CONTENT = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    /** Strips parameters ({@code ; charset=…}) and surrounding space: the spec says registries SHOULD ignore them. */
    public static String essence(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String base = semi < 0 ? contentType : contentType.substring(0, semi);
        base = base.trim();
        return base.isEmpty() ? null : base.toLowerCase(java.util.Locale.ROOT);
    }

    public static boolean isNonDistributableLayer(String mediaType) {
        return OCI_LAYER_NONDISTRIBUTABLE_TAR.equals(mediaType)
                || OCI_LAYER_NONDISTRIBUTABLE_GZIP.equals(mediaType)
                || OCI_LAYER_NONDISTRIBUTABLE_ZSTD.equals(mediaType)
                || DOCKER_FOREIGN_LAYER.equals(mediaType);
    }
}
