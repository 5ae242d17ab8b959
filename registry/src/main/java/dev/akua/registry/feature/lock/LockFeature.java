package dev.akua.registry.feature.lock;

import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RegistryFeature;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import io.helidon.webserver.http.HttpRouting;

import java.util.Optional;

/**
 * Lock resolution through the registry (issue 5): {@code POST /api/v1/lock} turns an akua.toml
 * (and optionally the current akua.lock) into a digest-pinned akua.lock, with akua 0.8.5's digest
 * rules, for OCI, Helm-repository and git dependencies. Configured by the {@code lock.*} keys;
 * {@code lock.enabled=false} leaves it out. See docs/lock.md.
 */
public final class LockFeature implements RegistryFeature {
    private final FeatureContext context;
    private final LockSettings settings;
    private final LockEngine engine;

    private LockFeature(FeatureContext context, LockSettings settings, LockEngine engine) {
        this.context = context;
        this.settings = settings;
        this.engine = engine;
    }

    /** The factory listed in {@code Features}: empty when {@code lock.enabled} is false. */
    public static Optional<RegistryFeature> create(FeatureContext context) {
        LockSettings settings = LockSettings.from(context.config());
        if (!settings.enabled()) {
            return Optional.empty();
        }
        return Optional.of(new LockFeature(context, settings, LockEngine.create(settings)));
    }

    @Override
    public String name() {
        return "lock";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        LockApi api = new LockApi(context, engine.service(), settings);
        routing.post(LockApi.PATH, api)
                .any(LockApi.PATH, (req, res) -> context.errors().write(req, res,
                        OciException.of(ErrorCode.UNSUPPORTED, req.prologue().method().text() + " is not supported on "
                                + LockApi.PATH + "; use POST").withHeader("Allow", "POST")));
    }

    @Override
    public void close() {
        engine.close();
    }
}
