package dev.akua.registry.conformance;

import dev.akua.registry.extension.AuditTrail;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RegistryFeature;
import dev.akua.registry.extension.RegistryListener;
import dev.akua.registry.extension.RequiredAccess;
import dev.akua.registry.extension.V2Hooks;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.storage.manifest.PutResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A small access gate for the signing tests that must not wait for the auth feature: robot tokens
 * sent as {@code Bearer <token>} (as akua and CI send robot tokens) name a robot with a set of
 * rights; without credentials everyone may pull and push (the quick-start default) and is anonymous.
 * It also records audit events and pushes, to check that server-side signing reports both.
 */
final class SigningTestGate implements RegistryFeature, AllowingObjectRules, AuditTrail, RegistryListener {
    record Robot(String name, Set<String> rights) {
    }

    private final Map<String, Robot> tokens;
    final List<String> audit = new ArrayList<>();
    final List<String> pushes = new ArrayList<>();

    SigningTestGate(Map<String, Robot> tokens) {
        this.tokens = tokens;
    }

    /** The factory: publishes itself as the audit trail, before the signing feature is built. */
    Function<FeatureContext, Optional<RegistryFeature>> factory() {
        return ctx -> {
            ctx.publish(AuditTrail.class, this);
            return Optional.of(this);
        };
    }

    @Override
    public String name() {
        return "signing-test-gate";
    }

    @Override
    public void hooks(V2Hooks.Builder hooks) {
        hooks.gate(this).listener(this);
    }

    @Override
    public Caller authorize(String authorization, String clientAddress, List<RequiredAccess> required) {
        if (authorization == null) {
            return Caller.anonymous(clientAddress);
        }
        Robot robot = authorization.startsWith("Bearer ") ? tokens.get(authorization.substring("Bearer ".length())) : null;
        if (robot == null) {
            throw OciException.of(ErrorCode.UNAUTHORIZED, "invalid token")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1/token\",error=\"invalid_token\"");
        }
        for (RequiredAccess r : required) {
            for (RequiredAccess.Action a : r.actions()) {
                if (!robot.rights().contains(a.scopeName())) {
                    throw OciException.of(ErrorCode.DENIED, "robot:" + robot.name() + " may not " + a.scopeName() + " " + r.resourceName());
                }
            }
        }
        return new Caller("robot:" + robot.name(), false, clientAddress, robot);
    }


    @Override
    public boolean permits(Caller caller, RepositoryName repository, String right) {
        return caller.identity() instanceof Robot r && r.rights().contains(right);
    }

    @Override
    public synchronized void record(String event, Caller caller, String repository, String digest, Map<String, String> details) {
        audit.add(event + " " + caller.subject() + " " + repository + " " + digest + " " + details);
    }

    @Override
    public synchronized void manifestPushed(Caller caller, RepositoryName repository, PutResult result, Map<Tag, Optional<Digest>> previousTags) {
        pushes.add(caller.subject() + " " + repository + " " + result.digest() + " " + result.tags() + " subject=" + result.subject());
    }
}
