package dev.akua.registry.feature.publish;

import dev.akua.registry.extension.ApiPaths;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which publishing endpoint a path under {@code /api/v1/repositories/} names (routing rules in
 * {@link ApiPaths}). Paths that fit no endpoint belong to another feature.
 *
 * @param endpoint  the endpoint
 * @param name      the repository name, unvalidated
 * @param reference the tag or digest ({@link Endpoint#PACKAGE}), else null
 */
record PublishRoute(Endpoint endpoint, String name, String reference) {
    static final String PREFIX = ApiPaths.REPOSITORIES;

    enum Endpoint implements ApiPaths.Endpoint {
        /** {@code POST /api/v1/repositories/<name>/publish?as=…}: build and store a chart or bundle. */
        PUBLISH(Pattern.compile("/api/v1/repositories/(.+)/publish/?"), List.of("POST")),
        /** {@code GET|HEAD /api/v1/repositories/<name>/packages/<tag|digest>}: akua package metadata. */
        PACKAGE(Pattern.compile("/api/v1/repositories/(.+)/packages/([^/]+)"), List.of("GET", "HEAD"));

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

    /** The endpoint for {@code path} and {@code method}; empty when the path is not ours; 405 for another method. */
    static Optional<PublishRoute> resolve(String path, String method) {
        return ApiPaths.resolve(Endpoint.values(), path, method).map(m -> new PublishRoute(m.endpoint(), m.name(), m.reference()));
    }
}
