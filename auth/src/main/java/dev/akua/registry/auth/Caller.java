package dev.akua.registry.auth;

import dev.akua.registry.auth.principal.ApiToken;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An authenticated request's caller: who ({@link #principal()}), from where, and by what
 * credential. Handed out by {@link AccessControl#authorize} and handed back to the per-object
 * checks ({@link AccessControl#checkTagWrite}, {@link AccessControl#mayMountFrom}, ...).
 *
 * <p>What a caller may do is what its principal may do now (policy, plus a robot's own scopes,
 * narrowed by a personal token's scopes), further narrowed, when it came with one of our JWTs,
 * to the token's {@code access} claim.
 */
public final class Caller {
    /** How the caller proved who it is. */
    public enum Credential {
        /** No usable credential: anonymous. */
        NONE,
        /** A JWT from this registry's token endpoint. */
        JWT,
        /** A robot or personal token sent directly as {@code Bearer}. */
        API_TOKEN
    }

    private final Principal principal;
    private final Optional<ApiToken> apiToken;
    private final String clientAddress;
    private final Credential credential;
    private final Optional<List<Scope>> tokenAccess;

    Caller(Principal principal, Optional<ApiToken> apiToken, String clientAddress, Credential credential,
           Optional<List<Scope>> tokenAccess) {
        this.principal = Objects.requireNonNull(principal, "principal");
        this.apiToken = Objects.requireNonNull(apiToken, "apiToken");
        this.clientAddress = clientAddress == null ? "" : clientAddress;
        this.credential = Objects.requireNonNull(credential, "credential");
        this.tokenAccess = tokenAccess.map(List::copyOf);
    }

    /**
     * An anonymous caller with no credential, for requests that reach the per-object checks
     * without having gone through {@link AccessControl#authorize} (a feature's own endpoint, a
     * background job). With auth on it may do what {@code anonymous} grants; with auth off, anything.
     */
    public static Caller anonymous(String clientAddress) {
        return new Caller(Principal.anonymous(), Optional.empty(), clientAddress, Credential.NONE, Optional.empty());
    }

    public Principal principal() {
        return principal;
    }

    public String clientAddress() {
        return clientAddress;
    }

    public Credential credential() {
        return credential;
    }

    /** The id of the robot or personal token behind this caller, if any. */
    public Optional<String> apiTokenId() {
        return apiToken.map(ApiToken::id);
    }

    Optional<ApiToken> apiToken() {
        return apiToken;
    }

    /** The JWT's granted scopes, when the caller came with a JWT. */
    Optional<List<Scope>> tokenAccess() {
        return tokenAccess;
    }

    @Override
    public String toString() {
        return "Caller[" + principal.id() + " via " + credential + " from " + clientAddress + "]";
    }
}
