package dev.akua.registry.helm;

/**
 * An index.yaml ready to serve.
 *
 * @param bytes the YAML
 * @param etag  a strong entity tag of these bytes (quoted)
 * @param stale true when it is the last good copy of an upstream that currently fails
 */
public record IndexDocument(byte[] bytes, String etag, boolean stale) {
}
