package dev.akua.registry.feature.auth;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The token endpoint URL a 401 challenge names. A configured one ({@code auth.realm}, else
 * {@code http.publicUrl} + {@code /token}) always wins. Otherwise it is derived from the address
 * the client used ({@code Host}), so a client on loopback, on the LAN or through a port-forward is
 * sent to a URL it can reach: akua 0.8.5 uses the realm as given (akua-wire-contract.md §1.5), and
 * Docker, skopeo and Helm do the same.
 *
 * <p>The {@code Host} header is client input: only a well-formed {@code host[:port]} (DNS name,
 * IPv4, or bracketed IPv6) is used, so nothing in it can break the challenge (a comma would make
 * akua reject it) or inject a header. Anything else falls back to the listen address. A client
 * that lies about {@code Host} only misleads itself; deployments behind a proxy that rewrites
 * {@code Host} or terminates TLS set {@code http.publicUrl} or {@code auth.realm}.
 */
final class TokenRealm {
    private static final Pattern AUTHORITY = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?"
                    + "|\\[[0-9A-Fa-f:.]{2,45}])(?::[0-9]{1,5})?");
    private static final int MAX_AUTHORITY = 261;

    private final Optional<URI> configured;
    private final URI fallback;

    TokenRealm(Optional<URI> configured, URI fallback) {
        this.configured = configured;
        this.fallback = fallback;
    }

    /**
     * @param origin {@code http(s)://host[:port]} as the request addressed it, or null
     * @return the realm for this request's challenge
     */
    URI forOrigin(String origin) {
        if (configured.isPresent()) {
            return configured.get();
        }
        if (origin == null) {
            return fallback;
        }
        String scheme;
        String authority;
        if (origin.startsWith("http://")) {
            scheme = "http";
            authority = origin.substring("http://".length());
        } else if (origin.startsWith("https://")) {
            scheme = "https";
            authority = origin.substring("https://".length());
        } else {
            return fallback;
        }
        if (authority.length() > MAX_AUTHORITY || !AUTHORITY.matcher(authority).matches()) {
            return fallback;
        }
        return URI.create(scheme + "://" + authority + "/token");
    }
}
