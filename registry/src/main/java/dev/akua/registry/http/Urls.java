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

    /** {@code host[:port]}: a DNS name or IPv4 address, or a bracketed IPv6 address (RFC 3986 §3.2.2). */
    private static final java.util.regex.Pattern AUTHORITY = java.util.regex.Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?"
                    + "|\\[[0-9A-Fa-f:.]{2,45}])(?::[0-9]{1,5})?");

    /**
     * The scheme and authority the client addressed: {@code http(s)://} plus its {@code Host}
     * header when that is a well-formed {@code host[:port]} (so the result is safe to put in a
     * header), else the local address the request arrived on. Still client-chosen: use it only
     * to tell that same client where to go.
     */
    public static String origin(io.helidon.webserver.http.ServerRequest req) {
        String scheme = req.isSecure() ? "https" : "http";
        String host = req.headers().first(io.helidon.http.HeaderNames.HOST)
                .filter(h -> h.length() <= 261 && AUTHORITY.matcher(h).matches())
                .orElseGet(() -> {
                    java.net.SocketAddress local = req.localPeer().address();
                    if (local instanceof java.net.InetSocketAddress inet) {
                        String ip = inet.getAddress().getHostAddress().replaceAll("%.*", "");
                        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + inet.getPort();
                    }
                    return req.localPeer().host() + ":" + req.localPeer().port();
                });
        return scheme + "://" + host;
    }

    /** Path (and query) for a {@code Link: <…>; rel="next"} header. */
    public String link(String pathAndQuery) {
        return "<" + base + pathAndQuery + ">; rel=\"next\"";
    }
}
