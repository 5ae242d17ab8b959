package dev.akua.registry.remote;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * An {@code Authorization} value for one request. {@link RemoteClient} sends it only to the origin
 * (scheme, host, port) of the request's first URI; a redirect to any other origin drops it, so
 * credentials are never forwarded to another host. {@link #toString()} never shows the secret.
 */
public final class RemoteCredentials {
    private final String authorization;
    private final String scheme;

    private RemoteCredentials(String scheme, String authorization) {
        this.scheme = scheme;
        this.authorization = authorization;
    }

    public static RemoteCredentials basic(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a basic-auth user name cannot contain ':'");
        }
        String token = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new RemoteCredentials("Basic", "Basic " + token);
    }

    public static RemoteCredentials bearer(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isEmpty() || token.chars().anyMatch(c -> c <= 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException("a bearer token must be non-empty printable ASCII without spaces");
        }
        return new RemoteCredentials("Bearer", "Bearer " + token);
    }

    String authorization() {
        return authorization;
    }

    @Override
    public String toString() {
        return scheme + " <redacted>";
    }
}
