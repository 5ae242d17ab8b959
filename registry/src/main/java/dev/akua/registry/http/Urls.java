package dev.akua.registry.http;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;

/**
 * Location URLs. Relative by default: a path starting with {@code /}, which akua 0.8.5 requires of a
 * relative upload Location (akua-wire-contract.md §1.3) and every OCI client resolves; absolute
 * when {@code http.publicUrl} is configured.
 */
public final class Urls {
    private final String base;

    public Urls(String publicUrl) {
        this.base = publicUrl == null ? "" : publicUrl;
    }

    public String blob(RepositoryName repo, Digest digest) {
        return base + "/v2/" + repo + "/blobs/" + digest;
    }

    public String manifest(RepositoryName repo, Digest digest) {
        return base + "/v2/" + repo + "/manifests/" + digest;
    }

    public String upload(RepositoryName repo, String uploadId) {
        return base + "/v2/" + repo + "/blobs/uploads/" + uploadId;
    }

    /** Path (and query) for a {@code Link: <…>; rel="next"} header. */
    public String link(String pathAndQuery) {
        return "<" + base + pathAndQuery + ">; rel=\"next\"";
    }
}
