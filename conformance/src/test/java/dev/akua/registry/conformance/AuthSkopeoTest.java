package dev.akua.registry.conformance;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real client with credentials (issue 3 "done when", item 1): Debian's skopeo 1.9 answers the
 * registry's Bearer challenge through the token endpoint with {@code --dest-creds}/{@code --src-creds}/
 * {@code --creds} (a user's password, or a robot token as the password), pushes and pulls with
 * digests intact, and is refused without credentials or without rights.
 */
class AuthSkopeoTest {
    @TempDir
    static Path work;
    static AuthTestRegistry auth;
    static String robot;
    static Path layout;
    static byte[] image;

    @BeforeAll
    static void start() {
        auth = AuthTestRegistry.start(work.resolve("registry"), """
                  permissions:
                    - repository: "interop/**"
                      grants: {"user:alice": [pull, push], authenticated: [pull]}
                """, Map.of());
        auth.addUser("alice", "s3cret-alice");
        auth.addUser("bob", "s3cret-bob");
        robot = auth.createRobot("ci", "interop/ci/**:pull,push");
        layout = work.resolve("layout");
        OciLayout l = new OciLayout(layout);
        image = l.image("amd64", "auth-skopeo");
        l.ref("img", MediaTypes.OCI_MANIFEST, image);
        l.write();
    }

    @AfterAll
    static void stop() {
        auth.close();
    }

    private static String ref(String repoAndTag) {
        return "docker://" + auth.hostPort() + "/" + repoAndTag;
    }

    @Test
    void skopeo_userCredentials_pushesAndPullsWithDigestsIntact() {
        Tools.ok(work, "skopeo", "copy", "--preserve-digests", "--dest-tls-verify=false", "--dest-creds", "alice:s3cret-alice",
                "oci:" + layout + ":img", ref("interop/skopeo:1.0.0"));
        String raw = Tools.ok(work, "skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", "alice:s3cret-alice",
                ref("interop/skopeo:1.0.0"));
        assertArrayEquals(image, raw.getBytes(StandardCharsets.UTF_8));
        Path back = work.resolve("back-user");
        Tools.ok(work, "skopeo", "copy", "--preserve-digests", "--src-tls-verify=false", "--src-creds", "alice:s3cret-alice",
                ref("interop/skopeo:1.0.0"), "oci:" + back + ":img");
        assertEquals(Digest.sha256(image), OciLayout.refDigest(back, "img"));
        // another authenticated user may pull (authenticated: [pull]) ...
        assertTrue(Tools.ok(work, "skopeo", "list-tags", "--tls-verify=false", "--creds", "bob:s3cret-bob",
                "docker://" + auth.hostPort() + "/interop/skopeo").contains("\"1.0.0\""));
        // ... but not push
        Tools.Result denied = Tools.run(work, "skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", "bob:s3cret-bob",
                "oci:" + layout + ":img", ref("interop/skopeo:bob"));
        assertNotEquals(0, denied.exit(), denied.output());
        assertTrue(denied.output().toLowerCase().contains("denied"), denied.output());
    }

    @Test
    void skopeo_robotTokenAsPassword_pushesAndPulls() {
        Tools.ok(work, "skopeo", "copy", "--preserve-digests", "--dest-tls-verify=false", "--dest-creds", "ci:" + robot,
                "oci:" + layout + ":img", ref("interop/ci/app:2.0.0"));
        Path back = work.resolve("back-robot");
        Tools.ok(work, "skopeo", "copy", "--preserve-digests", "--src-tls-verify=false", "--src-creds", "ci:" + robot,
                ref("interop/ci/app:2.0.0"), "oci:" + back + ":img");
        assertEquals(Digest.sha256(image), OciLayout.refDigest(back, "img"));
    }

    @Test
    void skopeo_loginWritesDockerConfig_thenCopiesWithIt() throws Exception {
        Path authFile = work.resolve("docker-config.json");
        Tools.Result wrong = Tools.run(work, "skopeo", "login", "--tls-verify=false", "--authfile", authFile.toString(),
                "-u", "alice", "-p", "not-her-password", auth.hostPort());
        assertNotEquals(0, wrong.exit(), "login checks the credentials: " + wrong.output());
        Tools.ok(work, "skopeo", "login", "--tls-verify=false", "--authfile", authFile.toString(),
                "-u", "alice", "-p", "s3cret-alice", auth.hostPort());
        // the docker config.json shape akua also reads: auths."host:port".auth = base64(user:password)
        String written = java.nio.file.Files.readString(authFile);
        assertTrue(written.contains("\"" + auth.hostPort() + "\"") && written.contains(
                java.util.Base64.getEncoder().encodeToString("alice:s3cret-alice".getBytes(StandardCharsets.UTF_8))), written);
        Tools.ok(work, "skopeo", "copy", "--dest-tls-verify=false", "--authfile", authFile.toString(),
                "oci:" + layout + ":img", ref("interop/skopeo/authfile:1.2.3"));
        assertTrue(Tools.ok(work, "skopeo", "list-tags", "--tls-verify=false", "--authfile", authFile.toString(),
                "docker://" + auth.hostPort() + "/interop/skopeo/authfile").contains("\"1.2.3\""));
    }

    @Test
    void skopeo_noOrWrongCredentials_refused() {
        Tools.Result anonymous = Tools.run(work, "skopeo", "copy", "--dest-tls-verify=false",
                "oci:" + layout + ":img", ref("interop/skopeo:anon"));
        assertNotEquals(0, anonymous.exit(), anonymous.output());
        assertTrue(anonymous.output().contains("401") || anonymous.output().toLowerCase().contains("unauthorized")
                || anonymous.output().toLowerCase().contains("authentication required"), anonymous.output());
        Tools.Result wrong = Tools.run(work, "skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", "alice:wrong",
                ref("interop/skopeo:1.0.0"));
        assertNotEquals(0, wrong.exit(), wrong.output());
        assertEquals(404, auth.http.get("/v2/interop/skopeo/manifests/anon",
                "Authorization", "Bearer " + auth.token(AuthTestRegistry.basic("alice", "s3cret-alice"),
                        "repository:interop/skopeo:pull")).status(), "nothing was pushed anonymously");
    }
}
