package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;

import java.nio.charset.StandardCharsets;

/**
 * The akua 0.8.5 test artifact of the wire contract §2.1: the layer {@code fake tarball bytes for
 * test only}, the config {@code {"akuaVersion":"0.8.5"}}, and the compact manifest built from them.
 */
final class AkuaVector {
    static final byte[] LAYER = "fake tarball bytes for test only".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CONFIG = "{\"akuaVersion\":\"0.8.5\"}".getBytes(StandardCharsets.US_ASCII);
    static final String MANIFEST_DIGEST = "sha256:a3e44727e4012a529cc5a93273488a3b3c5ff62c3f23debd1eacb5143aa4b577";

    private AkuaVector() {
    }

    static byte[] manifest() {
        return manifest(LAYER);
    }

    /** An akua package manifest (§2.1 key order) for another layer; used to make more subjects. */
    static byte[] manifest(byte[] layer) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.akua.package.config.v1+json\",\"size\":" + CONFIG.length
                + ",\"digest\":\"" + Digest.sha256(CONFIG) + "\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.akua.package.content.v1.tar+gzip\",\"size\":" + layer.length
                + ",\"digest\":\"" + Digest.sha256(layer) + "\"}]}").getBytes(StandardCharsets.UTF_8);
    }
}
