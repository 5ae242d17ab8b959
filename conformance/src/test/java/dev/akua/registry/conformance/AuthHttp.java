package dev.akua.registry.conformance;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;

import java.net.http.HttpRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Requests with a fixed {@code Authorization} header (a registry JWT, or a robot/personal token
 * sent directly as Bearer), plus the pushes the auth tests need to set up content.
 */
final class AuthHttp {
    private final Http http;
    private final String authorization;

    AuthHttp(Http http, String authorization) {
        this.http = http;
        this.authorization = authorization;
    }

    static AuthHttp bearer(Http http, String token) {
        return new AuthHttp(http, "Bearer " + token);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = http.request(path);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    Http.Resp get(String path) {
        return http.send(request(path).GET());
    }

    Http.Resp head(String path) {
        return http.send(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    Http.Resp post(String path) {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    Http.Resp delete(String path) {
        return http.send(request(path).DELETE());
    }

    Http.Resp put(String path, byte[] body, String contentType) {
        return http.send(request(path).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** POST then PUT (end-4a, end-6). */
    Digest pushBlob(String repo, byte[] content) {
        Http.Resp start = post("/v2/" + repo + "/blobs/uploads/");
        assertEquals(202, start.status(), start::text);
        Digest d = Digest.sha256(content);
        Http.Resp put = put(Http.withQuery(http.resolve(start.header("Location").orElseThrow()), "digest=" + d),
                content, "application/octet-stream");
        assertEquals(201, put.status(), put::text);
        return d;
    }

    /** An image manifest over a fresh config and layer (both pushed), not yet pushed itself. */
    byte[] image(String repo, String seed) {
        byte[] config = Oci.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}");
        byte[] layer = Oci.random(512 + seed.length(), seed.hashCode());
        pushBlob(repo, config);
        pushBlob(repo, layer);
        return Oci.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + Oci.descriptor(MediaTypes.OCI_CONFIG, config) + ",\"layers\":["
                + Oci.descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer) + "]}");
    }

    Http.Resp putManifest(String repo, String reference, byte[] manifest) {
        return put("/v2/" + repo + "/manifests/" + reference, manifest, MediaTypes.OCI_MANIFEST);
    }

    /** Pushes {@link #image} under {@code tag}; returns its digest. */
    Digest pushImage(String repo, String tag, String seed) {
        byte[] m = image(repo, seed);
        Http.Resp r = putManifest(repo, tag, m);
        assertEquals(201, r.status(), r::text);
        return Digest.sha256(m);
    }
}
