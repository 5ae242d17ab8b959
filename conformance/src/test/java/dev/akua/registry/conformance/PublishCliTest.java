package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.cli.CliCommands;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.feature.publish.PublishCommand;
import dev.akua.registry.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code akua-registry publish} from an akua workspace through a registry's publish API: name and
 * version from akua.toml, the render output from {@code deploy/}, the source digest from the
 * workspace's package files.
 */
class PublishCliTest {
    private static final String AKUA_TOML = "[package]\nname = \"hello\"\nversion = \"0.4.0\"\nedition = \"akua.dev/v1alpha1\"\n";
    private static final String PACKAGE_K = "import akua.ctx\nresources = []\n";
    @TempDir
    Path work;

    private Path workspace() throws Exception {
        Path ws = work.resolve("ws");
        Files.createDirectories(ws.resolve("deploy"));
        Files.createDirectories(ws.resolve(".git"));
        Files.writeString(ws.resolve("akua.toml"), AKUA_TOML);
        Files.writeString(ws.resolve("package.k"), PACKAGE_K);
        Files.writeString(ws.resolve("inputs.yaml"), "appName: x\n");     // never part of a package
        Files.writeString(ws.resolve(".git/HEAD"), "ref: refs/heads/main\n"); // hidden: never part of a package
        for (Map.Entry<String, String> f : PublishFixtures.render().entrySet()) {
            Files.writeString(ws.resolve("deploy").resolve(f.getKey()), f.getValue());
        }
        Files.writeString(ws.resolve("deploy/.render-stamp"), "hidden files are not sent\n");
        return ws;
    }

    /** akua's hash_dir over the package files: here exactly akua.toml and package.k. */
    private static Digest expectedSourceDigest() {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        for (String[] f : new String[][]{{"akua.toml", AKUA_TOML}, {"package.k", PACKAGE_K}}) {
            h.writeBytes(f[0].getBytes(StandardCharsets.UTF_8));
            h.write(0);
            h.writeBytes(f[1].getBytes(StandardCharsets.UTF_8));
            h.write('\n');
        }
        return Digest.sha256(h.toByteArray());
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(CliCommand command, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = command.run(args, RegistryConfig.defaults(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void publishCommand_workspace_publishesTheRenderOutput() throws Exception {
        Path ws = workspace();
        CliCommand publish = CliCommands.all().stream().filter(c -> c.name().equals("publish")).findFirst().orElseThrow();
        try (TestRegistry registry = TestRegistry.start(work.resolve("registry"))) {
            Run r = run(publish, List.of("--registry", registry.base(), "--repository", "acme/charts/hello", "--as", "helm-chart",
                    "--workspace", ws.toString(), "--description", "from the CLI", "--source-ref", "oci://example.com/acme/hello"));
            assertEquals(0, r.exit(), r.err());
            JsonNode json = JsonMapper.builder().build().readTree(r.out());
            assertEquals("0.4.0", json.get("tag").asText());
            assertEquals(expectedSourceDigest().toString(), json.at("/input/sourceDigest").asText());
            assertEquals(3, json.at("/input/files").size());
            Http http = new Http(registry.base());
            Http.Resp manifest = http.get("/v2/acme/charts/hello/manifests/0.4.0");
            assertEquals(json.get("digest").asText(), manifest.header("Docker-Content-Digest").orElseThrow());
            assertEquals("from the CLI", manifest.json().at("/annotations/org.opencontainers.image.description").asText());
        }
    }

    @Test
    void publishCommand_refusalsAndAuth_exitCodesAndMessages() throws Exception {
        Path ws = workspace();
        try (PublishFixtures.Registry registry = PublishFixtures.start(work, Map.of(), null, PublishFixtures.gate(), Map.of())) {
            List<String> args = List.of("--registry", registry.base(), "--repository", "acme/bundles/hello", "--as", "oci-bundle",
                    "--workspace", ws.toString(), "--token-env", "CI_TOKEN");
            Run denied = run(new PublishCommand(name -> null), args);
            assertEquals(1, denied.exit());
            assertTrue(denied.err().contains("answered 401: UNAUTHORIZED"), denied.err());

            Run ok = run(new PublishCommand(Map.of("CI_TOKEN", "bob")::get), args);
            assertEquals(0, ok.exit(), ok.err());

            Files.writeString(ws.resolve("deploy/003-notes.yaml"), "just: notes\n");
            Run refused = run(new PublishCommand(Map.of("CI_TOKEN", "bob")::get), args);
            assertEquals(1, refused.exit());
            assertTrue(refused.err().contains("MANIFEST_INVALID: 003-notes.yaml: not a Kubernetes resource: apiVersion is missing"), refused.err());

            Run usage = run(new PublishCommand(name -> null), List.of("--repository", "x"));
            assertEquals(2, usage.exit());
            assertTrue(usage.err().contains("--repository and --as are required"), usage.err());
        }
    }
}
