package dev.akua.registry.feature.signing;

import dev.akua.registry.extension.ContentPush;

import dev.akua.registry.config.ConfigException;
import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RegistryFeature;
import dev.akua.registry.extension.StorageSignatureContent;
import dev.akua.registry.extension.V2Hooks;
import dev.akua.registry.signing.Enforcement;
import dev.akua.registry.signing.ServerSigner;
import dev.akua.registry.signing.SigningConfig;
import dev.akua.registry.signing.SigningKeyStore;
import io.helidon.webserver.http.HttpRouting;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Signatures (issue 4): cosign-compatible verification under trust policies, {@code enforce: pull},
 * the verification API, and server-side signing with keys the registry holds. Configured by the
 * {@code signing} section (see {@link SigningConfig} and docs/signing.md); always on, because
 * without a section it only reports (no policy, no keys) and costs nothing on pulls.
 *
 * <p>Wiring: reads the section; builds the storage port, the verifier (published as
 * {@link Signatures} for later features), the pull check (only when some policy enforces pulls), the
 * cache-honesty listener, and, when {@code signing.keys} is set, the key store and signer. Its routes
 * answer under {@code /api/v1/repositories/} and pass every other path there on.
 */
public final class SigningFeature implements RegistryFeature {
    private final SigningConfig config;
    private final Verifications verifications;
    private final SignatureApi api;

    private SigningFeature(SigningConfig config, Verifications verifications, SignatureApi api) {
        this.config = config;
        this.verifications = verifications;
        this.api = api;
    }

    /** The factory for {@code Features.factories()}. Relative file names resolve against the working directory. */
    public static Optional<RegistryFeature> create(FeatureContext ctx) {
        return create(ctx, System::getenv);
    }

    /**
     * A factory that reads the signing-key passphrase variable through {@code environment} instead
     * of the process environment (tests; production uses {@link #create(FeatureContext)}).
     */
    public static Function<FeatureContext, Optional<RegistryFeature>> factory(Function<String, String> environment) {
        return ctx -> create(ctx, environment);
    }

    private static Optional<RegistryFeature> create(FeatureContext ctx, Function<String, String> environment) {
        SigningConfig config = readConfig(ctx.config().section("signing"));
        StorageSignatureContent content = new StorageSignatureContent(ctx.storage());
        Verifications verifications = new Verifications(content, config.policies(), config.limits());
        ServerSigning signing = null;
        if (config.keyStore() != null) {
            SigningKeyStore keys = new SigningKeyStore(config.keyStore().directory(), config.keyStore().passphraseEnv(), environment);
            ServerSigner signer = new ServerSigner(content, keys, config.limits(), ctx.clock());
            ContentPush push = new ContentPush(ctx.storage(), () -> ctx.service(V2Hooks.class).orElseThrow(() ->
                    new IllegalStateException("the composition root did not publish the V2Hooks")));
            signing = new ServerSigning(signer, push, ctx.storage());
        }
        ctx.publish(Signatures.class, verifications);
        return Optional.of(new SigningFeature(config, verifications, new SignatureApi(ctx, verifications, signing)));
    }

    /** The {@code signing} section, or a configuration error naming the offending path. */
    static SigningConfig readConfig(com.fasterxml.jackson.databind.JsonNode section) {
        try {
            return SigningConfig.read(section, Path.of(""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "signing";
    }

    @Override
    public void hooks(V2Hooks.Builder hooks) {
        if (config.policies().policies().stream().anyMatch(p -> p.enforcement() == Enforcement.PULL)) {
            hooks.pullCheck(new SignaturePullCheck(config.policies(), verifications));
        }
        hooks.listener(verifications);
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.any(ApiRoute.PREFIX + "*", api);
    }
}
