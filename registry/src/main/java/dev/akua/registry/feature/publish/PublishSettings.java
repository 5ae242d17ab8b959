package dev.akua.registry.feature.publish;

import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.publisher.PublishLimits;
import dev.akua.registry.publisher.PublishPolicy;
import dev.akua.registry.publisher.archive.ArchiveLimits;

import java.util.List;

/**
 * The {@code publish.*} configuration: limits of the publish API, limits of package validation,
 * and the per-repository policies ({@code publish.policies}, see {@link PublishPolicy}).
 *
 * @param enabled         whether the feature is on
 * @param limits          publish request limits
 * @param packageLimits   akua package layer limits
 * @param maxAkuaTomlBytes largest akua.toml read
 * @param maxConcurrent   publish requests built at once
 * @param policies        repository policies, first match wins
 */
record PublishSettings(boolean enabled, PublishLimits limits, ArchiveLimits packageLimits, int maxAkuaTomlBytes,
                       int maxConcurrent, List<PublishPolicy> policies) {

    static PublishSettings read(RegistryConfig config) {
        try {
            PublishLimits limits = new PublishLimits(new ArchiveLimits(config.longValue("publish.maxArchiveBytes"),
                    config.longValue("publish.maxUnpackedBytes"), config.longValue("publish.maxFileBytes"),
                    config.intValue("publish.maxFiles")), config.intValue("publish.maxFiles"), config.intValue("publish.maxYamlDepth"));
            ArchiveLimits packages = new ArchiveLimits(config.longValue("publish.packages.maxArchiveBytes"),
                    config.longValue("publish.packages.maxUnpackedBytes"), config.longValue("publish.packages.maxFileBytes"),
                    config.intValue("publish.packages.maxEntries"));
            int maxToml = config.intValue("publish.packages.maxAkuaTomlBytes");
            if (maxToml < 1024) {
                throw new ConfigException("publish.packages.maxAkuaTomlBytes must be at least 1024");
            }
            int maxConcurrent = config.intValue("publish.maxConcurrent");
            if (maxConcurrent < 1) {
                throw new ConfigException("publish.maxConcurrent must be at least 1");
            }
            List<PublishPolicy> policies = PublishPolicy.readAll(config.section("publish.policies"), "publish.policies");
            return new PublishSettings(config.boolValue("publish.enabled"), limits, packages, maxToml, maxConcurrent, policies);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    boolean anySigning() {
        return policies.stream().anyMatch(p -> p.signingKey() != null);
    }
}
