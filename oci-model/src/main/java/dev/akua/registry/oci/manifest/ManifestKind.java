package dev.akua.registry.oci.manifest;

/** What a manifest points at: blobs (config + layers) or other manifests. */
public enum ManifestKind {
    /** OCI image manifest or Docker schema 2 manifest: {@code config} + {@code layers}. */
    IMAGE,
    /** OCI image index or Docker manifest list: {@code manifests}. */
    INDEX
}
