package dev.akua.registry.feature.auth;

import dev.akua.registry.auth.AccessControl;
import dev.akua.registry.extension.AccessGate;
import dev.akua.registry.extension.AuditTrail;
import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RegistryFeature;
import dev.akua.registry.extension.V2Hooks;
import io.helidon.webserver.http.HttpRouting;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Access control (issue 3): token authentication, users, robots, per-repository permissions,
 * immutable tags, audit log, login throttling — the auth module wired into the registry.
 *
 * <ul>
 *   <li>the {@code /v2} {@link AccessGate} ({@link AuthGate});</li>
 *   <li>{@code GET /token}, the Docker token endpoint ({@link TokenEndpoint});</li>
 *   <li>a listener writing push, tag-move and delete entries to the audit log ({@link AuditListener});</li>
 *   <li>services for features built later: the {@link AccessGate} (for {@code sign}/{@code admin}
 *       checks on their own endpoints) and the {@link AuditTrail}.</li>
 * </ul>
 *
 * <p>Always installed. With {@code auth.enabled: false} (the embedded default) the gate lets
 * everyone do everything and tags move freely, unless {@code auth.immutableTags} is configured; the
 * audit log is still written (the file appears with the first event, the token key with the first
 * token). {@code auth.enabled: true} is the one setting that locks the registry down: tokens,
 * permissions, and semver tags immutable unless configured otherwise.
 */
public final class AuthFeature implements RegistryFeature {
    private static final Logger LOG = Logger.getLogger(AuthFeature.class.getName());
    private final AccessControl access;
    private final AuthGate gate;
    private final TokenEndpoint tokens;

    private AuthFeature(AccessControl access, AuthGate gate, TokenEndpoint tokens) {
        this.access = access;
        this.gate = gate;
        this.tokens = tokens;
    }

    /** The factory listed in {@code Features}. */
    public static Optional<RegistryFeature> create(FeatureContext context) {
        AuthSettings settings = AuthSettings.from(context.config());
        AccessControl access;
        try {
            access = AccessControl.create(settings.config(), context.clock());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new dev.akua.registry.config.ConfigException(e.getMessage(), e);
        }
        for (String problem : access.userFileProblems()) {
            LOG.warning("auth.usersFile: " + problem);
        }
        AuthGate gate = new AuthGate(access, new TokenRealm(settings.realm(), settings.fallbackRealm()));
        context.publish(AccessGate.class, gate);
        context.publish(AuditTrail.class, new FeatureAuditTrail(access.audit()));
        // Retention (maintenance feature) never removes a tag the immutable-tag rule protects.
        context.publish(dev.akua.registry.storage.retention.TagProtection.class, access::isImmutable);
        LOG.log(Level.INFO, () -> "auth " + (access.enabled() ? "enabled" : "off (open registry)") + "; token realm "
                + settings.realm().map(Object::toString).orElse("derived from each request's Host"));
        return Optional.of(new AuthFeature(access, gate, new TokenEndpoint(access, context.errors())));
    }

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public void hooks(V2Hooks.Builder hooks) {
        hooks.gate(gate);
        hooks.listener(new AuditListener(access));
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.any("/token", tokens);
    }

    @Override
    public void close() {
        access.close();
    }
}
