package dev.akua.registry.remote.oci;

import java.util.Objects;

/**
 * A manifest as a registry served it. Nothing here is trusted: the caller digests {@link #bytes()}
 * itself and compares with what it asked for (or with {@code digestHeader}).
 *
 * @param bytes        the exact bytes served (at most {@link RegistryClient#MAX_MANIFEST_BYTES})
 * @param mediaType    the {@code Content-Type} without parameters, or null
 * @param digestHeader the {@code Docker-Content-Digest} header, or null
 */
public record ManifestResponse(byte[] bytes, String mediaType, String digestHeader) {
    public ManifestResponse {
        Objects.requireNonNull(bytes, "bytes");
    }
}
