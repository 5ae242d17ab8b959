package dev.akua.registry.lockfile;

import java.util.Locale;
import java.util.Objects;

import dev.akua.registry.remote.oci.RegistryLogin;

/**
 * The registry running a resolution on a caller's behalf, as the caller reached it: its
 * {@code host[:port]} and the caller's own credentials there. OCI dependencies under that authority
 * are the registry's own repositories: they are read with the caller's credentials (which are sent
 * to no other host), so the caller locks exactly what it may pull, and the registry's signature
 * policies judge them.
 *
 * @param authority {@code host[:port]} as in the caller's {@code Host} header
 * @param login     the caller's credentials for it (anonymous when it sent none)
 */
public record CallerRegistry(String authority, RegistryLogin login) {
    public CallerRegistry {
        authority = Objects.requireNonNull(authority, "authority").toLowerCase(Locale.ROOT);
        Objects.requireNonNull(login, "login");
    }

    /** True when {@code registry} ({@code host[:port]} of an {@code oci://} reference) is this one. */
    public boolean names(String registry) {
        return authority.equalsIgnoreCase(registry);
    }

    @Override
    public String toString() {
        return authority + " as " + login;
    }
}
