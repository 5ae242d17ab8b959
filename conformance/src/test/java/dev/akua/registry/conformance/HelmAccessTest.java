package dev.akua.registry.conformance;

import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.extension.AccessGate;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.RegistryFeature;
import dev.akua.registry.extension.RequiredAccess;
import dev.akua.registry.feature.helm.HelmFeature;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.server.RegistryServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Helm routes ask the registry's access gate (the one a feature publishes as a service): pull
 * on the namespace or chart repository for reads, push on {@code <namespace>/<chart>} for uploads.
 * A fake gate stands in for the auth feature: "reader" may pull, "writer" may also push.
 */
class HelmAccessTest {
    @TempDir
    Path dir;

    private final List<String> asked = new CopyOnWriteArrayList<>();

    private final AccessGate gate = new AllowingObjectRules() {
        @Override
        public Caller authorize(String authorization, String clientAddress, List<RequiredAccess> required) {
            required.forEach(r -> asked.add(r.resourceName() + ":" + r.actions()));
            if (authorization == null) {
                throw OciException.of(ErrorCode.UNAUTHORIZED, "authentication required").withHeader("WWW-Authenticate", "Basic realm=\"t\"");
            }
            boolean writer = authorization.equals("Bearer writer");
            if (!writer && required.stream().anyMatch(r -> r.actions().contains(RequiredAccess.Action.PUSH))) {
                throw OciException.of(ErrorCode.DENIED, "reader may not push");
            }
            return new Caller(writer ? "writer" : "reader", false, clientAddress, null);
        }

        @Override
        public void checkTagWrite(Caller caller, RepositoryName repository, Tag tag, Optional<Digest> current, Digest next) {
            asked.add("tagWrite " + repository + ":" + tag);
        }

        @Override
        public boolean permits(Caller caller, RepositoryName repository, String right) {
            return true;
        }
    };

    @Test
    void helmRoutes_readsNeedPullUploadsNeedPush_decidedByTheGate() throws Exception {
        Path file = dir.resolve("akua-registry.yaml");
        Files.writeString(file, """
                http: {host: 127.0.0.1, port: 0}
                storage: {filesystem: {root: %s}}
                helm:
                  enabled: true
                  spoolDir: %s
                  hosted:
                    - namespace: charts
                """.formatted(dir.resolve("data"), dir.resolve("spool")));
        RegistryConfig config = new ConfigLoader().load(file, Map.of());
        RegistryFeature gateFeature = () -> "test-gate";
        try (RegistryServer server = RegistryServer.start(config, List.of(ctx -> {
            ctx.publish(AccessGate.class, gate);
            return Optional.of(gateFeature);
        }, HelmFeature::create))) {
            Http http = new Http(server.baseUrl());
            byte[] chart = HelmFixtures.chart("demo", "1.0.0");

            http.get("/helm/hosted/charts/index.yaml").assertError(401, "UNAUTHORIZED");
            assertEquals(200, http.get("/helm/hosted/charts/index.yaml", "Authorization", "Bearer reader").status());
            assertTrue(asked.contains("charts:[PULL]"), asked::toString);

            http.send(http.request("/helm/hosted/charts/api/charts").header("Authorization", "Bearer reader")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(chart))).assertError(403, "DENIED");
            Http.Resp saved = http.send(http.request("/helm/hosted/charts/api/charts").header("Authorization", "Bearer writer")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(chart)));
            assertEquals(201, saved.status(), saved.text());
            assertTrue(asked.contains("charts/demo:[PUSH]"), asked::toString);
            assertTrue(asked.contains("tagWrite charts/demo:1.0.0"), "immutable-tag rules are consulted: " + asked);

            asked.clear();
            http.get("/helm/hosted/charts/charts/demo-1.0.0.tgz").assertError(401, "UNAUTHORIZED");
            assertEquals(200, http.get("/helm/hosted/charts/charts/demo-1.0.0.tgz", "Authorization", "Bearer reader").status());
            assertTrue(asked.contains("charts/demo:[PULL]"), asked::toString);
        }
    }
}
