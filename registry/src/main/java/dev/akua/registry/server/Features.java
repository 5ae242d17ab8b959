package dev.akua.registry.server;

import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RegistryFeature;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The optional features, in the order they are built (a feature may use services published by
 * the ones before it). Each factory reads its own configuration and returns empty when disabled.
 * Adding a feature is one line here.
 */
final class Features {
    private Features() {
    }

    static List<Function<FeatureContext, Optional<RegistryFeature>>> factories() {
        return List.of(
                dev.akua.registry.feature.auth.AuthFeature::create, // first: installs the gate, publishes the AuditTrail
                dev.akua.registry.feature.signing.SigningFeature::create, // before features that use its Signatures service
                dev.akua.registry.feature.lock.LockFeature::create,
                dev.akua.registry.feature.helm.HelmFeature::create,
                dev.akua.registry.feature.publish.PublishFeature::create,
                dev.akua.registry.feature.maintenance.MaintenanceFeature::create,
                dev.akua.registry.feature.mirror.MirrorFeature::create);
    }
}
