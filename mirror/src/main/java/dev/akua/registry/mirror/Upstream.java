package dev.akua.registry.mirror;

import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.remote.oci.RegistryLogin;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An upstream registry and where its repositories appear locally: upstream {@code acme/app} is
 * local {@code <prefix>/acme/app} (e.g. {@code mirror/ghcr.io/acme/app}). Pull-through answers under
 * the prefix; mirroring rules and imports write there too, so both fill the same cache.
 *
 * @param name        the name rules refer to
 * @param url         {@code http(s)://host[:port]}
 * @param login       credentials, used as the upstream asks (Basic, or for a bearer token)
 * @param prefix      the local repository prefix
 * @param pullThrough whether pulls under the prefix that miss locally go to the upstream
 * @param tagTtl      how long a cached tag is served before it is revalidated against the upstream
 */
public record Upstream(String name, URI url, RegistryLogin login, RepositoryName prefix, boolean pullThrough, Duration tagTtl) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public Upstream {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("upstream name must be 1-64 of [a-z0-9._-]: " + name);
        }
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(tagTtl, "tagTtl");
        if (tagTtl.isNegative()) {
            throw new IllegalArgumentException("tagTtl must not be negative");
        }
    }

    /** The upstream repository a local one stands for, when the local one is under the prefix. */
    public Optional<String> upstreamName(RepositoryName local) {
        String p = prefix.value() + "/";
        return local.value().startsWith(p) && local.value().length() > p.length()
                ? Optional.of(local.value().substring(p.length())) : Optional.empty();
    }

    /** Where an upstream repository appears locally. */
    public RepositoryName localName(String upstreamRepository) {
        return RepositoryName.parse(prefix.value() + "/" + upstreamRepository);
    }
}
