package dev.akua.registry.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.signing.RepositoryPattern;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a repository asks of publishing and pushes, from the {@code publish.policies} section
 * (first policy whose patterns match wins; no match means no signing and no package validation):
 * <pre>
 * - repositories: ["acme/**"]        # repository patterns (* within a component, ** any components)
 *   signingKey: release              # a key of the registry's key store (signing.keys)
 *   sign: true                       # cosign signature on published artifacts (default: true when signingKey is set)
 *   provenance: true                 # SLSA provenance attestation (default: true when signingKey is set)
 *   akuaPackages: true               # validate pushed akua packages (default false)
 *   packageNameMatchesRepository: true
 *   packageVersionMatchesTag: true
 * </pre>
 * Unknown fields are errors, so a misspelt {@code sign} cannot silently turn signing off.
 *
 * @param repositories the repositories covered
 * @param signingKey   the registry key to sign and attest with, or null
 * @param sign         sign published artifacts
 * @param provenance   attach SLSA provenance to published artifacts
 * @param akuaPackages validate manifests carrying an akua package layer
 * @param packageRules what package validation checks beyond a valid package
 */
public record PublishPolicy(List<RepositoryPattern> repositories, String signingKey, boolean sign, boolean provenance,
                            boolean akuaPackages, PackageRules packageRules) {
    private static final Set<String> FIELDS = Set.of("repositories", "signingKey", "sign", "provenance", "akuaPackages",
            "packageNameMatchesRepository", "packageVersionMatchesTag");

    public PublishPolicy {
        repositories = List.copyOf(repositories);
        Objects.requireNonNull(packageRules, "packageRules");
        if ((sign || provenance) && signingKey == null) {
            throw new IllegalArgumentException("sign and provenance need a signingKey");
        }
    }

    /** The policy of nothing: no signing, no validation. */
    public static PublishPolicy none() {
        return new PublishPolicy(List.of(), null, false, false, false, PackageRules.none());
    }

    public boolean covers(RepositoryName repository) {
        return repositories.stream().anyMatch(p -> p.matches(repository));
    }

    /** The first policy covering {@code repository}. */
    public static Optional<PublishPolicy> first(List<PublishPolicy> policies, RepositoryName repository) {
        return policies.stream().filter(p -> p.covers(repository)).findFirst();
    }

    /**
     * Reads the {@code publish.policies} list.
     *
     * @throws IllegalArgumentException naming the offending path, e.g. {@code publish.policies[1].sign: must be true or false}
     */
    public static List<PublishPolicy> readAll(JsonNode node, String at) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(at + " must be a list of policies");
        }
        List<PublishPolicy> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(read(node.get(i), at + "[" + i + "]"));
        }
        return out;
    }

    private static PublishPolicy read(JsonNode p, String at) {
        if (!p.isObject()) {
            throw new IllegalArgumentException(at + " must be a mapping");
        }
        for (Iterator<String> names = p.fieldNames(); names.hasNext(); ) {
            String f = names.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException(at + "." + f + ": unknown field (known: " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
            }
        }
        JsonNode repos = p.get("repositories");
        if (repos == null || !repos.isArray() || repos.isEmpty()) {
            throw new IllegalArgumentException(at + ".repositories must be a non-empty list of repository patterns");
        }
        List<RepositoryPattern> patterns = new ArrayList<>();
        for (JsonNode r : repos) {
            if (!r.isTextual()) {
                throw new IllegalArgumentException(at + ".repositories: patterns must be strings");
            }
            try {
                patterns.add(RepositoryPattern.parse(r.asText()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ".repositories: " + e.getMessage(), e);
            }
        }
        String key = null;
        JsonNode k = p.get("signingKey");
        if (k != null && !k.isNull()) {
            if (!k.isTextual() || k.asText().isBlank()) {
                throw new IllegalArgumentException(at + ".signingKey must be the name of a key in signing.keys");
            }
            key = k.asText();
        }
        boolean sign = bool(p, "sign", key != null, at);
        boolean provenance = bool(p, "provenance", key != null, at);
        if ((sign || provenance) && key == null) {
            throw new IllegalArgumentException(at + ": sign and provenance need a signingKey");
        }
        return new PublishPolicy(patterns, key, sign, provenance, bool(p, "akuaPackages", false, at),
                new PackageRules(bool(p, "packageNameMatchesRepository", false, at), bool(p, "packageVersionMatchesTag", false, at)));
    }

    private static boolean bool(JsonNode p, String field, boolean fallback, String at) {
        JsonNode v = p.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        throw new IllegalArgumentException(at + "." + field + " must be true or false");
    }
}
