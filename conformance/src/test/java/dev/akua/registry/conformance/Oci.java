package dev.akua.registry.conformance;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Builds content and pushes it through the HTTP API the way a client does. */
public final class Oci {
    private final Http http;

    public Oci(Http http) {
        this.http = http;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** POST then PUT (end-4a, end-6); returns the digest. */
    public Digest pushBlob(String repo, byte[] content) {
        Http.Resp start = http.post("/v2/" + repo + "/blobs/uploads/");
        assertEquals(202, start.status(), start::text);
        Digest d = Digest.sha256(content);
        Http.Resp put = http.put(Http.withQuery(http.resolve(start.header("Location").orElseThrow()), "digest=" + d),
                content, "application/octet-stream");
        assertEquals(201, put.status(), put::text);
        return d;
    }

    public Http.Resp putManifest(String repo, String reference, byte[] manifest, String mediaType) {
        return http.put("/v2/" + repo + "/manifests/" + reference, manifest, mediaType);
    }

    /** An OCI image manifest over a config and one layer, both pushed first. Returns the manifest bytes. */
    public byte[] image(String repo, String seed, String extraFields) {
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}");
        byte[] layer = random(1024 + seed.length(), seed.hashCode());
        Digest c = pushBlob(repo, config);
        Digest l = pushBlob(repo, layer);
        return utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"size\":" + config.length + ",\"digest\":\"" + c + "\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"size\":" + layer.length + ",\"digest\":\"" + l + "\"}]"
                + extraFields + "}");
    }

    /** Pushes {@link #image} under a tag and returns its digest. */
    public Digest pushImage(String repo, String tag, String seed, String extraFields) {
        byte[] m = image(repo, seed, extraFields);
        Http.Resp r = putManifest(repo, tag, m, MediaTypes.OCI_MANIFEST);
        assertEquals(201, r.status(), r::text);
        return Digest.sha256(m);
    }

    public static String descriptor(String mediaType, byte[] content) {
        return "{\"mediaType\":\"" + mediaType + "\",\"size\":" + content.length + ",\"digest\":\"" + Digest.sha256(content) + "\"}";
    }
}
