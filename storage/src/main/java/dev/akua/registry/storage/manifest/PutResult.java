package dev.akua.registry.storage.manifest;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Tag;

import java.util.List;

/** The outcome of a manifest push: its digest, its subject (for {@code OCI-Subject}) and the tags set. */
public record PutResult(Digest digest, Digest subject, List<Tag> tags, String mediaType) {
    public PutResult {
        tags = List.copyOf(tags);
    }
}
