package dev.akua.registry.feature.publish;

import dev.akua.registry.extension.ContentPush;

import dev.akua.registry.config.ConfigException;
import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RegistryFeature;
import dev.akua.registry.extension.StorageSignatureContent;
import dev.akua.registry.extension.V2Hooks;
import dev.akua.registry.publisher.PackageValidator;
import dev.akua.registry.publisher.PublishSigner;
import dev.akua.registry.publisher.Publisher;
import dev.akua.registry.signing.SigningConfig;
import dev.akua.registry.signing.SigningKeyStore;
import io.helidon.webserver.http.HttpRouting;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Publishing (issue 7): {@code POST /api/v1/repositories/<name>/publish?as=helm-chart|oci-bundle},
 * akua package validation on push, and {@code GET /api/v1/repositories/<name>/packages/<tag>}.
 * Configured by {@code publish.*} and {@code publish.policies} (docs/publishing.md); on unless
 * {@code publish.enabled: false}.
 *
 * <p>Wiring: the publisher (publisher module) with the configured limits; the package validator as
 * a {@code ManifestPushCheck}, installed only when a policy asks for it; and, when the registry holds
 * signing keys ({@code signing.keys}, the signing feature's key store, read here with the same
 * reader), a {@link PublishSigner} over the repository content. A policy naming a signing key on a
 * registry without a key store is a configuration error at start. Pushes go through the
 * {@code V2Hooks} the composition root publishes, so the gate, every push check and every listener
 * see published artifacts as they see client pushes; audit events go to the {@code AuditTrail}
 * service when one is published.
 */
public final class PublishFeature implements RegistryFeature {
    private final PublishApi api;
    private final Packages packages;

    private PublishFeature(PublishApi api, Packages packages) {
        this.api = api;
        this.packages = packages;
    }

    /** The factory for {@code Features.factories()}: key passphrases come from the process environment. */
    public static Optional<RegistryFeature> create(FeatureContext ctx) {
        return create(ctx, System::getenv);
    }

    /** A factory reading the key passphrase variable through {@code environment} (tests). */
    public static Function<FeatureContext, Optional<RegistryFeature>> factory(Function<String, String> environment) {
        return ctx -> create(ctx, environment);
    }

    private static Optional<RegistryFeature> create(FeatureContext ctx, Function<String, String> environment) {
        PublishSettings settings = PublishSettings.read(ctx.config());
        if (!settings.enabled()) {
            return Optional.empty();
        }
        SigningConfig signing;
        try {
            signing = SigningConfig.read(ctx.config().section("signing"), Path.of(""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        PublishSigner signer = null;
        if (signing.keyStore() != null) {
            SigningKeyStore keys = new SigningKeyStore(signing.keyStore().directory(), signing.keyStore().passphraseEnv(), environment);
            signer = new PublishSigner(new StorageSignatureContent(ctx.storage()), keys, signing.limits(), ctx.clock());
        } else if (settings.anySigning()) {
            throw new ConfigException("publish.policies names a signing key, but the registry has no key store: configure signing.keys");
        }
        ContentPush push = new ContentPush(ctx.storage(), () -> ctx.service(V2Hooks.class).orElseThrow(() ->
                new IllegalStateException("the composition root did not publish the V2Hooks")));
        Packages packages = new Packages(ctx.storage(), new PackageValidator(settings.packageLimits(), settings.maxAkuaTomlBytes()),
                settings.policies(), settings.packageLimits().maxCompressedBytes());
        PublishApi api = new PublishApi(ctx, settings, new Publisher(settings.limits()), signer, push, packages);
        return Optional.of(new PublishFeature(api, packages));
    }

    @Override
    public String name() {
        return "publish";
    }

    @Override
    public void hooks(V2Hooks.Builder hooks) {
        if (packages.validatesAnything()) {
            hooks.pushCheck(packages);
        }
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.any(PublishRoute.PREFIX + "*", api);
    }
}
