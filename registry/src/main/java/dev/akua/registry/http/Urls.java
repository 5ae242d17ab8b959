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

    /**
     * The scheme and authority the client addressed: {@code http(s)://} plus its {@code Host}
     * header as sent (untrusted: check it before putting it in a header), or the local socket
     * address when there is none.
     */
    public static String origin(io.helidon.webserver.http.ServerRequest req) {
        String scheme = req.isSecure() ? "https" : "http";
        return scheme + "://" + req.headers().first(io.helidon.http.HeaderNames.HOST).orElseGet(() -> {
            java.net.SocketAddress local = req.localPeer().address();
            if (local instanceof java.net.InetSocketAddress inet) {
                String host = inet.getAddress().getHostAddress();
                return (host.contains(":") ? "[" + host.replaceAll("%.*", "") + "]" : host) + ":" + inet.getPort();
            }
            return req.localPeer().host() + ":" + req.localPeer().port();
        });
    }

    /** Path (and query) for a {@code Link: <…>; rel="next"} header. */
    public String link(String pathAndQuery) {
        return "<" + base + pathAndQuery + ">; rel=\"next\"";
    }
}
