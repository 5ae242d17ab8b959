package dev.akua.registry.storage.upload;

import dev.akua.registry.oci.DigestAlgorithm;
import dev.akua.registry.oci.RepositoryName;

import java.time.Instant;
import java.util.Objects;

/**
 * An upload session as stored: everything needed to answer a status request or continue the
 * upload, on this or any other process.
 *
 * @param size bytes received so far; the next chunk must start here
 */
public record UploadState(RepositoryName repository, String id, long size, DigestAlgorithm algorithm, Instant startedAt) {
    public UploadState {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** The {@code Range} header value of the spec: {@code 0-<last byte>}; {@code 0-0} when empty, as Distribution does. */
    public String rangeHeader() {
        return "0-" + Math.max(0, size - 1);
    }
}
