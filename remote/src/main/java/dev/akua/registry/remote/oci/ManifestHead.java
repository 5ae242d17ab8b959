package dev.akua.registry.remote.oci;

/**
 * What a {@code HEAD} of a manifest tells: enough to decide whether a cached copy is current.
 *
 * @param digest    the {@code Docker-Content-Digest} header if it is a well-formed digest, else null
 *                  (the spec says registries SHOULD send it; a caller without it must GET)
 * @param mediaType the {@code Content-Type} without parameters, or null
 * @param size      the {@code Content-Length}, or -1
 */
public record ManifestHead(String digest, String mediaType, long size) {
}
