package dev.akua.registry.conformance;

import com.marcnuri.helm.Helm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Helm (v3.21, in-process through helm-java) against the registry with auth on (issue 3
 * "done when", item 1): {@code helm registry login} (the {@code GET /v2/} challenge, then the token
 * endpoint with Basic credentials), {@code helm push} and pulls with {@code show}/{@code template}
 * ({@code oci://}; helm-java has no pull command). Refused without or with wrong credentials.
 *
 * <p>helm-java has no option for the registry config file; {@code helm registry login} writes
 * {@code $HELM_CONFIG_HOME/registry/config.json}, which this module's surefire configuration
 * points into {@code target/}. Every login here is still undone by a logout of this test's host
 * (a random port), so no credentials outlive the test.
 */
class AuthHelmTest {
    @TempDir
    static Path work;
    static AuthTestRegistry auth;
    static String robot;
    static Path chart;

    @BeforeAll
    static void start() throws Exception {
        auth = AuthTestRegistry.start(work.resolve("registry"), """
                  permissions:
                    - repository: "charts/**"
                      grants: {"user:alice": [pull, push]}
                """, Map.of());
        auth.addUser("alice", "helm-s3cret");
        robot = auth.createRobot("helm-ci", "charts/**:pull,push");
        Path dir = Files.createDirectories(work.resolve("src"));
        Helm created = Helm.create().withName("demo").withDir(dir).call();
        Path dest = Files.createDirectories(work.resolve("dist"));
        created.packageIt().withDestination(dest).call();
        chart = dest.resolve("demo-0.1.0.tgz");
        assertTrue(Files.exists(chart), "helm package wrote " + chart);
    }

    @AfterAll
    static void stop() {
        try {
            logout();
        } finally {
            auth.close();
        }
    }

    private static void logout() {
        try {
            Helm.registry().logout().withHost(auth.hostPort()).call();
        } catch (RuntimeException notLoggedIn) {
            // nothing stored for this host
        }
    }

    private static String remote() {
        return "oci://" + auth.hostPort() + "/charts";
    }

    @Test
    void helm_loginPushShowTemplate_withUserCredentials() {
        logout();
        RuntimeException anonymous = assertThrows(RuntimeException.class,
                () -> Helm.push().withChart(chart).withRemote(URI.create(remote())).plainHttp().call());
        assertTrue(anonymous.getMessage().toLowerCase().contains("unauthorized")
                || anonymous.getMessage().contains("401"), anonymous.getMessage());

        RuntimeException wrong = assertThrows(RuntimeException.class, () -> Helm.registry().login().withHost(auth.hostPort())
                .withUsername("alice").withPassword("wrong").plainHttp().call());
        assertTrue(wrong.getMessage().toLowerCase().contains("unauthorized") || wrong.getMessage().contains("401"), wrong.getMessage());

        Helm.registry().login().withHost(auth.hostPort()).withUsername("alice").withPassword("helm-s3cret").plainHttp().call();
        String pushed = Helm.push().withChart(chart).withRemote(URI.create(remote())).plainHttp().call();
        assertTrue(pushed.contains(auth.hostPort() + "/charts/demo:0.1.0"), pushed);

        String shown = Helm.show(remote() + "/demo").chart().withVersion("0.1.0").plainHttp().call();
        assertTrue(shown.contains("name: demo") && shown.contains("version: 0.1.0"), shown);
        String rendered = Helm.template(remote() + "/demo").withVersion("0.1.0").withName("rel").plainHttp().call();
        assertTrue(rendered.contains("kind: Service") && rendered.contains("rel-demo"), rendered);

        // what Helm stored is the chart as pushed: the Helm config media type, readable with a token
        String token = auth.token(AuthTestRegistry.basic("alice", "helm-s3cret"), "repository:charts/demo:pull");
        Http.Resp manifest = auth.http.get("/v2/charts/demo/manifests/0.1.0", "Authorization", "Bearer " + token,
                "Accept", "application/vnd.oci.image.manifest.v1+json");
        assertEquals(200, manifest.status(), manifest::text);
        assertTrue(manifest.text().contains("application/vnd.cncf.helm.config.v1+json"), manifest.text());
        logout();
    }

    @Test
    void helm_loginWithRobotTokenAsPassword_pushesAndShows() throws Exception {
        logout();
        Path dir = Files.createDirectories(work.resolve("src-robot"));
        Helm created = Helm.create().withName("robotchart").withDir(dir).call();
        Path dest = Files.createDirectories(work.resolve("dist-robot"));
        created.packageIt().withDestination(dest).call();
        Helm.registry().login().withHost(auth.hostPort()).withUsername("helm-ci").withPassword(robot).plainHttp().call();
        Helm.push().withChart(dest.resolve("robotchart-0.1.0.tgz")).withRemote(URI.create(remote())).plainHttp().call();
        String shown = Helm.show(remote() + "/robotchart").chart().withVersion("0.1.0").plainHttp().call();
        assertTrue(shown.contains("name: robotchart"), shown);
        logout();
    }
}
