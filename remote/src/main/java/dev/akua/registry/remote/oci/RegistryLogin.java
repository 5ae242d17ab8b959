package dev.akua.registry.remote.oci;

import java.util.Objects;

import dev.akua.registry.remote.RemoteCredentials;

/**
 * How {@link RegistryClient} authenticates to one registry: anonymously, with a user name and
 * password (sent as {@code Basic} when the registry asks for Basic, or to the token endpoint when
 * it asks for a bearer token), or with a personal access token (sent as {@code Bearer}, and to the
 * token endpoint as {@code Bearer}, as akua does). {@link #toString()} never shows a secret.
 */
public final class RegistryLogin {
    private static final RegistryLogin ANONYMOUS = new RegistryLogin(null, null, null);

    private final String username;
    private final String password;
    private final String token;

    private RegistryLogin(String username, String password, String token) {
        this.username = username;
        this.password = password;
        this.token = token;
    }

    public static RegistryLogin anonymous() {
        return ANONYMOUS;
    }

    public static RegistryLogin basic(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        RemoteCredentials.basic(username, password); // validates the user name
        return new RegistryLogin(username, password, null);
    }

    public static RegistryLogin token(String token) {
        RemoteCredentials.bearer(token); // validates the token's characters
        return new RegistryLogin(null, null, token);
    }

    public boolean isAnonymous() {
        return username == null && token == null;
    }

    /** The credentials for a {@code Basic} challenge (user name and password only). */
    RemoteCredentials basicCredentials() {
        return username == null ? null : RemoteCredentials.basic(username, password);
    }

    /** The credentials sent to a token endpoint: Basic for a password, Bearer for a token, none when anonymous. */
    RemoteCredentials tokenEndpointCredentials() {
        if (username != null) {
            return RemoteCredentials.basic(username, password);
        }
        return token == null ? null : RemoteCredentials.bearer(token);
    }

    /** A personal access token sent on first attempts, or null. */
    RemoteCredentials personalToken() {
        return token == null ? null : RemoteCredentials.bearer(token);
    }

    @Override
    public String toString() {
        if (username != null) {
            return "basic(" + username + ", <redacted>)";
        }
        return token != null ? "token(<redacted>)" : "anonymous";
    }
}
