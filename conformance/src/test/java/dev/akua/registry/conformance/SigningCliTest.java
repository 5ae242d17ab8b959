package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.feature.signing.SigningFeature;
import dev.akua.registry.feature.signing.SigningKeyCommand;
import dev.akua.registry.feature.signing.VerifyCommand;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.server.RegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The signing commands of the runnable jar: {@code verify} as a CI gate (exit 0 when the policy is
 * met, 1 when not, 2 when no answer could be had) and {@code signing-key} (generate, import, list,
 * public; keys encrypted at rest under the passphrase variable).
 */
class SigningCliTest {
    static final Map<String, String> ENV = Map.of("TEST_SIGNING_PASSPHRASE", "pass phrase", "PEM_PASS", "import-me");

    @TempDir
    static Path work;
    static SigningFixtures.KeyFiles release;
    static SigningTestGate gate;
    static RegistryServer server;
    static Http http;
    static SigningFixtures fx;
    static Path config;

    @BeforeAll
    static void start() {
        release = SigningFixtures.opensslKey(work, "release");
        config = SigningFixtures.config(work, """
                signing:
                  keys:
                    directory: %s
                    passphraseEnv: TEST_SIGNING_PASSPHRASE
                  policies:
                    - name: release
                      repositories: ["gate/**"]
                      keys:
                        - name: release
                          publicKeyFile: %s
                      enforce: pull
                """.formatted(work.resolve("keys"), release.publicKey()));
        gate = new SigningTestGate(Map.of("reader-token", new SigningTestGate.Robot("reader", Set.of("pull"))));
        RegistryConfig c = new ConfigLoader().load(config, Map.of("AKUA_REGISTRY_HTTP_PORT", "0",
                "AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", work.resolve("data").toString()));
        server = RegistryServer.start(c, List.of(gate.factory(), SigningFeature.factory(ENV::get)));
        http = new Http(server.baseUrl());
        fx = new SigningFixtures(work, http);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(CliCommand command, RegistryConfig config, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = command.run(new ArrayList<>(List.of(args)), config, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static RegistryConfig config() {
        return new ConfigLoader().load(config, Map.of());
    }

    static Run verify(Map<String, String> env, String... args) {
        return run(new VerifyCommand(env::get), config(), args);
    }

    @Test
    void verify_signedDigestOrTag_exits0_unsigned_exits1() {
        String repo = "gate/app";
        Digest signed = fx.oci().pushImage(repo, "1.0", "cli-signed", "");
        fx.pushSignature(repo, signed, "127.0.0.1:" + server.port() + "/" + repo, release);
        Digest unsigned = fx.oci().pushImage(repo, "2.0", "cli-unsigned", "");

        Run ok = verify(Map.of(), repo, signed.toString(), "--registry", server.baseUrl());
        Run byTag = verify(Map.of(), repo, "1.0", "--registry=" + server.baseUrl() + "/");
        Run refused = verify(Map.of(), repo, "2.0", "--registry", server.baseUrl());

        assertEquals(0, ok.exit(), ok::toString);
        assertTrue(ok.out().startsWith("policy met: " + repo + "@" + signed + " (policy release, enforce pull)"), ok.out());
        assertTrue(ok.out().contains("signature   cosign-simple-signing tag " + SigningFixtures.sigTag(signed) + " layer 0: verified key release sha256:"), ok.out());
        assertEquals(0, byTag.exit(), byTag::toString);
        assertEquals(1, refused.exit(), refused::toString);
        assertTrue(refused.out().startsWith("policy NOT met: " + repo + "@" + unsigned), refused.out());
        assertTrue(refused.out().contains("no signature found"), refused.out());
    }

    @Test
    void verify_json_printsTheApiReport() throws Exception {
        String repo = "gate/json";
        Digest d = fx.oci().pushImage(repo, "1.0", "cli-json", "");

        Run r = verify(Map.of(), repo, d.toString(), "--json", "--registry", server.baseUrl());

        assertEquals(1, r.exit());
        var report = JsonMapper.builder().build().readTree(r.out());
        assertEquals(d.toString(), report.get("digest").asText());
        assertFalse(report.get("policyMet").asBoolean());
    }

    @Test
    void verify_noAnswer_exits2_failingClosed() throws Exception {
        Digest absent = Digest.sha256(new byte[]{3});
        Run unknown = verify(Map.of(), "gate/nothing", absent.toString(), "--registry", server.baseUrl());
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("answered 404: MANIFEST_UNKNOWN"), unknown.err());

        Run forged = verify(Map.of("AKUA_TOKEN", "forged"), "gate/nothing", absent.toString(), "--registry", server.baseUrl());
        assertEquals(2, forged.exit());
        assertTrue(forged.err().contains("answered 401: UNAUTHORIZED"), forged.err());

        Run named = verify(Map.of("CI_TOKEN", "reader-token"), "gate/nothing", absent.toString(), "--registry", server.baseUrl(),
                "--token-env", "CI_TOKEN");
        assertTrue(named.err().contains("answered 404"), "the token from --token-env is sent and accepted: " + named.err());

        int closedPort = RegistryProcess.freePort();
        Run down = verify(Map.of(), "gate/app", absent.toString(), "--registry", "http://127.0.0.1:" + closedPort);
        assertEquals(2, down.exit());
        assertTrue(down.err().contains("cannot reach"), down.err());

        assertEquals(2, verify(Map.of(), "gate/app").exit());
        assertEquals(2, verify(Map.of(), "Gate/App", "1.0").exit());
        assertEquals(2, verify(Map.of(), "gate/app", "1.0", "--bogus").exit());
        assertEquals(2, verify(Map.of(), "gate/app", "1.0", "--registry", "ftp://x").exit());
    }

    @Test
    void verify_withoutRegistryOption_asksTheConfiguredRegistry() {
        String repo = "gate/default";
        Digest d = fx.oci().pushImage(repo, "1.0", "cli-default", "");
        fx.pushSignature(repo, d, "127.0.0.1:" + server.port() + "/" + repo, release);

        Run r = run(new VerifyCommand(Map.<String, String>of()::get), config().withPort(server.port()), repo, "1.0");

        assertEquals(0, r.exit(), r::toString);
    }

    /** The real entry point in its own JVM: what a CI job runs, exit status included. */
    @Test
    void verify_asTheRunnableJarsCommand_setsTheExitStatus() throws Exception {
        String repo = "gate/process";
        Digest signed = fx.oci().pushImage(repo, "1.0", "cli-process", "");
        fx.pushSignature(repo, signed, "127.0.0.1:" + server.port() + "/" + repo, release);
        fx.oci().pushImage(repo, "2.0", "cli-process-unsigned", "");

        assertEquals(0, runMain("verify", repo, "1.0", "--registry", server.baseUrl()));
        assertEquals(1, runMain("verify", repo, "2.0", "--registry", server.baseUrl()));
    }

    private static int runMain(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), "dev.akua.registry.server.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("AKUA_"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("akua-registry " + String.join(" ", args) + " did not finish");
        }
        System.out.println(output);
        return p.exitValue();
    }

    @Test
    void signingKey_generateListPublic_storesEncryptedKeys() throws Exception {
        Path keys = work.resolve("keys");
        Run gen = run(new SigningKeyCommand(ENV::get), config(), "generate", "cli-gen");
        assertEquals(0, gen.exit(), gen::toString);
        assertTrue(gen.out().contains("-----BEGIN PUBLIC KEY-----"), gen.out());

        String stored = Files.readString(keys.resolve("cli-gen.key"));
        assertTrue(stored.startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"), "encrypted at rest in cosign's format");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(keys.resolve("cli-gen.key")));
        Run pub = run(new SigningKeyCommand(ENV::get), config(), "public", "cli-gen");
        assertEquals(Files.readString(keys.resolve("cli-gen.pub")), pub.out());
        Run list = run(new SigningKeyCommand(ENV::get), config(), "list");
        assertTrue(list.out().contains("cli-gen ECDSA P-256 sha256:"), list.out());

        Run again = run(new SigningKeyCommand(ENV::get), config(), "generate", "cli-gen");
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("already exists"), again.err());
        Run noPass = run(new SigningKeyCommand(Map.<String, String>of()::get), config(), "generate", "cli-nopass");
        assertEquals(2, noPass.exit());
        assertTrue(noPass.err().contains("TEST_SIGNING_PASSPHRASE"), noPass.err());
    }

    @Test
    void signingKey_import_acceptsOpensslKeysPlainAndEncrypted_andKeepsTheirPublicKey() throws Exception {
        SigningFixtures.KeyFiles plain = SigningFixtures.opensslKey(work, "import-plain");
        Tools.ok(work, "openssl", "pkcs8", "-topk8", "-in", plain.privateKey().toString(), "-out", "import-enc.p8",
                "-v2", "aes-256-cbc", "-passout", "pass:import-me");

        Run p = run(new SigningKeyCommand(ENV::get), config(), "import", "imported-plain", plain.privateKey().toString());
        Run e = run(new SigningKeyCommand(ENV::get), config(), "import", "imported-enc", work.resolve("import-enc.p8").toString(),
                "--passphrase-env", "PEM_PASS");
        Run noPass = run(new SigningKeyCommand(ENV::get), config(), "import", "imported-nopass", work.resolve("import-enc.p8").toString());

        assertEquals(0, p.exit(), p::toString);
        assertEquals(0, e.exit(), e::toString);
        String opensslPub = plain.publicPem();
        assertEquals(normalize(opensslPub), normalize(run(new SigningKeyCommand(ENV::get), config(), "public", "imported-plain").out()));
        assertEquals(normalize(opensslPub), normalize(run(new SigningKeyCommand(ENV::get), config(), "public", "imported-enc").out()));
        assertEquals(2, noPass.exit());
        assertTrue(noPass.err().contains("passphrase"), noPass.err());
    }

    @Test
    void signingKey_withoutKeysSectionOrArguments_exits2() {
        RegistryConfig none = new ConfigLoader().load(null, new HashMap<>());
        Run r = run(new SigningKeyCommand(ENV::get), none, "list");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("signing.keys is not configured"), r.err());
        assertEquals(2, run(new SigningKeyCommand(ENV::get), config()).exit());
        assertEquals(2, run(new SigningKeyCommand(ENV::get), config(), "rotate", "x").exit());
        assertEquals(2, run(new SigningKeyCommand(ENV::get), config(), "generate", "x", "--type", "dsa").exit());
    }

    private static String normalize(String pem) {
        return pem.replaceAll("\\s", "");
    }
}
