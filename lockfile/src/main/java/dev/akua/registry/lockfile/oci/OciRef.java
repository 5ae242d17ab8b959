package dev.akua.registry.lockfile.oci;

import java.net.URI;
import java.util.Locale;

import dev.akua.registry.oci.RepositoryName;

/**
 * {@code oci://host[:port]/repository}, read as akua reads it (wire contract §1.1): the registry is
 * everything before the first {@code /}; plain http is used only for {@code localhost},
 * {@code 127.0.0.1} and {@code ::1}, https for every other host.
 *
 * @param registry   {@code host[:port]}
 * @param repository the repository path
 */
public record OciRef(String registry, String repository) {

    public static OciRef parse(String ref) {
        if (ref == null || !ref.startsWith("oci://")) {
            throw new IllegalArgumentException("an OCI reference starts with oci://");
        }
        String rest = ref.substring("oci://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("an OCI reference is oci://host/repository: " + ref);
        }
        String registry = rest.substring(0, slash);
        String repository = rest.substring(slash + 1);
        if (!registry.matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?")) {
            throw new IllegalArgumentException("not a registry host: " + registry);
        }
        if (repository.contains(":") || repository.contains("@")) {
            throw new IllegalArgumentException("the tag goes into `version`, not into the oci reference: " + ref);
        }
        if (!RepositoryName.isValid(repository)) {
            throw new IllegalArgumentException("not a repository name: " + repository);
        }
        return new OciRef(registry.toLowerCase(Locale.ROOT), repository);
    }

    /** akua's {@code registry_scheme}: http only for loopback names. */
    public String scheme() {
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : (registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry);
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") ? "http" : "https";
    }

    public URI uri(String path) {
        return URI.create(scheme() + "://" + registry + "/v2/" + repository + path);
    }

    /** {@code oci://registry/repository}, the lock's {@code source}. */
    public String source() {
        return "oci://" + registry + "/" + repository;
    }

    /** {@code registry/repository}, cosign's docker-reference. */
    public String dockerReference() {
        return registry + "/" + repository;
    }
}
