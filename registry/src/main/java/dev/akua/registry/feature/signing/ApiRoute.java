package dev.akua.registry.feature.signing;

import dev.akua.registry.extension.ApiPaths;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which signing endpoint a path under {@code /api/v1/repositories/} names (routing rules in
 * {@link ApiPaths}). Repository names may end in {@code /sign} or contain {@code /signatures}; where
 * a path fits both endpoints the method decides ({@code POST …/a/signatures/sign} signs in repository
 * {@code a/signatures}; {@code GET} of the same path asks for the signatures of reference {@code sign}
 * in {@code a}). Name and reference are returned unvalidated; the handler parses them.
 *
 * @param endpoint  the endpoint
 * @param name      the repository name
 * @param reference the digest or tag (verification), or null (signing)
 */
record ApiRoute(Endpoint endpoint, String name, String reference) {
    static final String PREFIX = ApiPaths.REPOSITORIES;

    enum Endpoint implements ApiPaths.Endpoint {
        /** {@code GET|HEAD /api/v1/repositories/<name>/signatures/<digest|tag>}: the verification report. */
        SIGNATURES(Pattern.compile("/api/v1/repositories/(.+)/signatures/([^/]+)"), List.of("GET", "HEAD")),
        /** {@code POST /api/v1/repositories/<name>/sign}: server-side signing. */
        SIGN(Pattern.compile("/api/v1/repositories/(.+)/sign"), List.of("POST"));

        private final Pattern pattern;
        private final List<String> methods;

        Endpoint(Pattern pattern, List<String> methods) {
            this.pattern = pattern;
            this.methods = methods;
        }

        @Override
        public Pattern pattern() {
            return pattern;
        }

        @Override
        public List<String> methods() {
            return methods;
        }
    }

    /** The endpoint for {@code path} and {@code method}; empty when the path is none of ours; 405 for another method. */
    static Optional<ApiRoute> resolve(String path, String method) {
        return ApiPaths.resolve(Endpoint.values(), path, method).map(m -> new ApiRoute(m.endpoint(), m.name(), m.reference()));
    }
}
