package dev.akua.registry.conformance;

import dev.akua.registry.conformance.MirrorFixtures.Run;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second instance of this registry, with auth on, as the upstream (issue 9): the mirror logs in
 * the way the upstream asks (Bearer token from its /token endpoint, with a password or a robot
 * token), and pulls under the prefix of a mirror that has auth on itself go through its access gate.
 */
class MirrorAuthTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        closing.add(c);
        return c;
    }

    private Path users(String name, String... userAndPassword) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < userAndPassword.length; i += 2) {
            lines.append(Tools.ok(dir, "htpasswd", "-Bbn", userAndPassword[i], userAndPassword[i + 1]).strip()).append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, lines);
        return file;
    }

    /** The upstream: this registry with auth on, filled by skopeo as a user who may push. */
    private TestRegistry upstream(byte[][] image) throws Exception {
        Path usersFile = users("upstream-users", "pusher", "push-pw", "mirror-bot", "bot-pw");
        TestRegistry upstream = closing(TestRegistry.start(dir.resolve("upstream"), """
                auth:
                  enabled: true
                """, Map.of("AKUA_REGISTRY_AUTH_USERSFILE", usersFile.toString())));
        Path layout = dir.resolve("layout");
        OciLayout l = new OciLayout(layout);
        image[0] = l.image("amd64", "private");
        l.ref("v1", MediaTypes.OCI_MANIFEST, image[0]);
        l.write();
        MirrorFixtures.skopeoPush(dir, layout, "v1", upstream.hostPort() + "/private/app:v1", "--dest-creds", "pusher:push-pw");
        return upstream;
    }

    @Test
    void pullThroughAndMirrorRun_upstreamIsThisRegistryWithAuth_bearerTokenWithPassword() throws Exception {
        byte[][] image = new byte[1][];
        TestRegistry upstream = upstream(image);
        Files.writeString(dir.resolve("bot-password"), "bot-pw\n");
        String mirrorYaml = """
                mirror:
                  upstreams:
                    - name: akua
                      url: %s
                      prefix: mirror/akua
                      username: mirror-bot
                      passwordFile: %s
                  rules:
                    - name: private
                      upstream: akua
                      repositories: [private/app]
                """.formatted(upstream.base(), dir.resolve("bot-password"));
        TestRegistry mirror = closing(TestRegistry.start(dir.resolve("mirror"), mirrorYaml,
                Map.of("AKUA_REGISTRY_MIRROR_REMOTE_ALLOWLOOPBACK", "true")));

        Tools.ok(dir, "skopeo", "copy", "--src-tls-verify=false", "docker://" + mirror.hostPort() + "/mirror/akua/private/app:v1",
                "oci:" + dir.resolve("pulled") + ":v1");
        assertEquals(Digest.sha256(image[0]), OciLayout.refDigest(dir.resolve("pulled"), "v1"));

        Path copyRoot = dir.resolve("copy");
        Files.createDirectories(copyRoot);
        Path config = copyRoot.resolve("akua-registry.yaml");
        Files.writeString(config, mirrorYaml.replace("pullThrough", "pullThrough"));
        Run run = MirrorFixtures.cli(config, MirrorFixtures.env(copyRoot), "mirror", "run", "--progress", "none");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("copied    mirror/akua/private/app:v1 " + Digest.sha256(image[0])), run::toString);
    }

    @Test
    void pullThrough_robotTokenAsPersonalToken_sentAsBearer() throws Exception {
        byte[][] image = new byte[1][];
        TestRegistry upstream = upstream(image);
        Map<String, String> upstreamEnv = new HashMap<>(Map.of("AKUA_REGISTRY_AUTH_USERSFILE", dir.resolve("upstream-users").toString(),
                "AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", dir.resolve("upstream/data").toString()));
        Files.writeString(dir.resolve("upstream/akua-registry.yaml"), "auth:\n  enabled: true\n");
        Run robot = MirrorFixtures.cli(dir.resolve("upstream/akua-registry.yaml"), upstreamEnv, "token", "create-robot", "mirror",
                "--scope", "private/**:pull");
        assertEquals(0, robot.exit(), robot::toString);
        String secret = robot.out().lines().filter(l -> l.contains("akr_")).findFirst().orElseThrow()
                .replaceAll(".*(akr_[A-Za-z0-9_-]+).*", "$1");
        Files.writeString(dir.resolve("robot-token"), secret + "\n");
        TestRegistry mirror = closing(TestRegistry.start(dir.resolve("mirror"), """
                mirror:
                  upstreams:
                    - name: akua
                      url: %s
                      prefix: mirror/akua
                      tokenFile: %s
                """.formatted(upstream.base(), dir.resolve("robot-token")), Map.of("AKUA_REGISTRY_MIRROR_REMOTE_ALLOWLOOPBACK", "true")));

        Tools.ok(dir, "skopeo", "copy", "--src-tls-verify=false", "docker://" + mirror.hostPort() + "/mirror/akua/private/app:v1",
                "oci:" + dir.resolve("pulled") + ":v1");
        assertEquals(Digest.sha256(image[0]), OciLayout.refDigest(dir.resolve("pulled"), "v1"));
    }

    @Test
    void pullUnderPrefix_mirrorWithAuthOn_goesThroughTheAccessGate() throws Exception {
        byte[][] image = new byte[1][];
        TestRegistry upstream = upstream(image);
        Files.writeString(dir.resolve("bot-password"), "bot-pw\n");
        Path mirrorUsers = users("mirror-users", "reader", "read-pw", "outsider", "out-pw");
        TestRegistry mirror = closing(TestRegistry.start(dir.resolve("mirror"), """
                mirror:
                  upstreams:
                    - name: akua
                      url: %s
                      prefix: mirror/akua
                      username: mirror-bot
                      passwordFile: %s
                auth:
                  enabled: true
                  permissions:
                    - repository: "mirror/**"
                      grants:
                        "user:reader": [pull]
                """.formatted(upstream.base(), dir.resolve("bot-password")),
                Map.of("AKUA_REGISTRY_MIRROR_REMOTE_ALLOWLOOPBACK", "true", "AKUA_REGISTRY_AUTH_USERSFILE", mirrorUsers.toString())));
        String ref = "docker://" + mirror.hostPort() + "/mirror/akua/private/app:v1";

        Http.Resp anonymous = new Http(mirror.base()).get("/v2/mirror/akua/private/app/manifests/v1");
        assertEquals(401, anonymous.status(), anonymous::text);
        Tools.Result outsider = Tools.run(dir, "skopeo", "copy", "--src-tls-verify=false", "--src-creds", "outsider:out-pw", ref,
                "oci:" + dir.resolve("denied") + ":v1");
        assertTrue(outsider.exit() != 0 && outsider.output().contains("denied"), outsider.output());
        Tools.ok(dir, "skopeo", "copy", "--src-tls-verify=false", "--src-creds", "reader:read-pw", ref, "oci:" + dir.resolve("pulled") + ":v1");
        assertEquals(Digest.sha256(image[0]), OciLayout.refDigest(dir.resolve("pulled"), "v1"));
    }
}
