package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.conformance.MirrorFixtures.CuttingProxy;
import dev.akua.registry.conformance.MirrorFixtures.Distribution;
import dev.akua.registry.conformance.MirrorFixtures.Image;
import dev.akua.registry.conformance.MirrorFixtures.Run;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.signing.key.KeyKind;
import dev.akua.registry.signing.key.SigningKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirroring rules (issue 9) against CNCF Distribution 2.8 filled with skopeo: {@code mirror run}
 * copies images, indexes, cosign signatures and attestations and OCI 1.1 referrers with identical
 * digests, incrementally; a rule with an interval runs on its own; an upstream that breaks off in
 * the middle of a run leaves nothing partial visible, and the next run completes.
 */
class MirrorRunTest {
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

    private Path config(String upstreamBase, String rules) throws Exception {
        Path file = dir.resolve("akua-registry.yaml");
        Files.writeString(file, """
                mirror:
                  upstreams:
                    - name: dist
                      url: %s
                      prefix: mirror/dist
                      pullThrough: false
                  rules:
                %s""".formatted(upstreamBase, rules));
        return file;
    }

    private Map<String, String> env() {
        return MirrorFixtures.env(dir);
    }

    private TestRegistry registry(Path config) throws Exception {
        return closing(start(config));
    }

    /** The registry over the same storage and configuration file the commands use. */
    private TestRegistry start(Path config) throws Exception {
        return TestRegistry.start(dir, Files.readString(config), env());
    }

    /** Upstream content: v1 (signed, attested, with an SBOM referrer) and a two-platform index, pushed by skopeo. */
    private record Upstream(Image v1, byte[] index, Digest sig, Digest att, Digest sbom) {
    }

    private Upstream fill(Distribution upstream, SigningKey key) throws Exception {
        Path layout = dir.resolve("layout");
        OciLayout l = new OciLayout(layout);
        Image v1 = MirrorFixtures.image(l, "v1", 500_000);
        byte[] index = l.index(l.image("amd64", "a"), l.image("arm64", "b"));
        l.ref("v1", MediaTypes.OCI_MANIFEST, v1.manifest());
        l.ref("multi", MediaTypes.OCI_INDEX, index);
        l.write();
        MirrorFixtures.skopeoPush(dir, layout, "v1", upstream.hostPort() + "/acme/app:v1.0.0");
        MirrorFixtures.skopeoPush(dir, layout, "multi", upstream.hostPort() + "/acme/app:multi", "--all");
        Oci oci = new Oci(new Http(upstream.base()));
        Digest sig = MirrorFixtures.sign(oci, "acme/app", upstream.hostPort() + "/acme/app", v1.digest(), key);
        Digest att = MirrorFixtures.attest(oci, "acme/app", v1.digest());
        Digest sbom = MirrorFixtures.referrer(oci, "acme/app", v1.manifest(), true);
        return new Upstream(v1, index, sig, att, sbom);
    }

    /** The digest a registry gives for a manifest (Distribution 2.8 serves OCI manifests only to clients that accept them). */
    static String digestOf(Http http, String path) {
        Http.Resp r = http.send(http.request(path).method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Accept", String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
                        MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST)));
        assertEquals(200, r.status(), path);
        return r.header("Docker-Content-Digest").orElseThrow();
    }

    @Test
    void mirrorRun_copiesSignaturesAttestationsAndReferrersWithIdenticalDigests_thenNothingNew() throws Exception {
        Distribution upstream = closing(new Distribution(dir.resolve("upstream"), null, null));
        SigningKey key = SigningKey.generate(KeyKind.ECDSA_P256, new SecureRandom());
        Upstream content = fill(upstream, key);
        Path config = config(upstream.base(), """
                    - name: apps
                      upstream: dist
                      repositories: ["acme/*"]
                      tags: ["v*"]
                      semver: ">=1.0.0"
                    - name: indexes
                      upstream: dist
                      repositories: [acme/app]
                      tags: [multi]
                """);

        Run run = MirrorFixtures.cli(config, env(), "mirror", "run", "--progress", "lines");

        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("copied    mirror/dist/acme/app:v1.0.0"), run::toString);
        assertTrue(run.out().contains("mirror run: 2 copied, 0 unchanged, 0 skipped, 0 failed"), run::toString);
        assertTrue(run.out().contains("mirror apps: started"), "progress lines: " + run);

        TestRegistry registry = registry(config);
        Http local = new Http(registry.base());
        Http remote = new Http(upstream.base());
        String v1Tag = "/manifests/v1.0.0";
        assertEquals(digestOf(remote, "/v2/acme/app" + v1Tag), digestOf(local, "/v2/mirror/dist/acme/app" + v1Tag));
        assertEquals(digestOf(remote, "/v2/acme/app/manifests/multi"), digestOf(local, "/v2/mirror/dist/acme/app/manifests/multi"));
        String sigTag = "/manifests/" + content.v1().digest().tagForm() + ".sig";
        String attTag = "/manifests/" + content.v1().digest().tagForm() + ".att";
        assertEquals(content.sig().toString(), digestOf(local, "/v2/mirror/dist/acme/app" + sigTag));
        assertEquals(content.att().toString(), digestOf(local, "/v2/mirror/dist/acme/app" + attTag));
        assertEquals(content.sbom().toString(), digestOf(local, "/v2/mirror/dist/acme/app/manifests/" + content.sbom()));
        JsonNode referrers = local.get("/v2/mirror/dist/acme/app/referrers/" + content.v1().digest()).json();
        assertEquals(content.sbom().toString(), referrers.get("manifests").get(0).get("digest").asText());
        assertEquals("application/spdx+json", referrers.get("manifests").get(0).get("artifactType").asText());
        // and a real client reads the copy
        Tools.ok(dir, "skopeo", "copy", "--all", "--src-tls-verify=false", "docker://" + registry.hostPort() + "/mirror/dist/acme/app:multi",
                "oci:" + dir.resolve("pulled") + ":multi");
        assertEquals(Digest.sha256(content.index()), OciLayout.refDigest(dir.resolve("pulled"), "multi"));
        assertArrayEquals(content.v1().layerBytes(), local.get("/v2/mirror/dist/acme/app/blobs/" + content.v1().layer()).body());

        int blobGets = upstream.requests("GET", "/v2/acme/app/blobs/sha256:[0-9a-f]+");
        Run again = MirrorFixtures.cli(config, env(), "mirror", "run", "--rule", "apps", "--rule", "indexes", "--progress", "none");
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().contains("mirror run: 0 copied, 2 unchanged"), again::toString);
        assertEquals(blobGets, upstream.requests("GET", "/v2/acme/app/blobs/sha256:[0-9a-f]+"), "existing digests are skipped");
    }

    @Test
    void ruleWithInterval_runsOnItsOwnSchedule() throws Exception {
        Distribution upstream = closing(new Distribution(dir.resolve("upstream"), null, null));
        Path layout = dir.resolve("layout");
        OciLayout l = new OciLayout(layout);
        byte[] image = l.image("amd64", "scheduled");
        l.ref("v1", MediaTypes.OCI_MANIFEST, image);
        l.write();
        MirrorFixtures.skopeoPush(dir, layout, "v1", upstream.hostPort() + "/acme/app:v1");
        TestRegistry registry = registry(config(upstream.base(), """
                    - name: every-second
                      upstream: dist
                      repositories: [acme/app]
                      intervalSeconds: 1
                """));
        Http http = new Http(registry.base());

        long deadline = System.nanoTime() + 20_000_000_000L;
        int status = 0;
        while (System.nanoTime() < deadline && (status = http.head("/v2/mirror/dist/acme/app/manifests/v1").status()) != 200) {
            Thread.sleep(200);
        }
        assertEquals(200, status, "the scheduled rule copied v1");
        assertEquals(Digest.sha256(image).toString(), digestOf(http, "/v2/mirror/dist/acme/app/manifests/v1"));
    }

    @Test
    void mirrorRun_upstreamBreaksOffMidRun_noPartialArtifactVisibleAndNextRunCompletes() throws Exception {
        Distribution upstream = closing(new Distribution(dir.resolve("upstream"), null, null));
        CuttingProxy proxy = closing(new CuttingProxy(upstream.port()));
        Path layout = dir.resolve("layout");
        OciLayout l = new OciLayout(layout);
        Image small = MirrorFixtures.image(l, "small", 20_000);
        Image big = MirrorFixtures.image(l, "big", 8 << 20);
        l.ref("a-small", MediaTypes.OCI_MANIFEST, small.manifest());
        l.ref("b-big", MediaTypes.OCI_MANIFEST, big.manifest());
        l.write();
        MirrorFixtures.skopeoPush(dir, layout, "a-small", upstream.hostPort() + "/acme/app:a-small");
        MirrorFixtures.skopeoPush(dir, layout, "b-big", upstream.hostPort() + "/acme/app:b-big");
        Path config = config(proxy.base(), """
                    - name: apps
                      upstream: dist
                      repositories: [acme/app]
                """);
        proxy.cutResponsesAfter(1 << 20);   // each connection breaks after 1 MiB: the big layer never arrives whole

        Run broken = MirrorFixtures.cli(config, env(), "mirror", "run", "--progress", "none");

        assertEquals(1, broken.exit(), broken::toString);
        assertTrue(broken.out().contains("failed    mirror/dist/acme/app:b-big"), broken::toString);
        assertTrue(proxy.cuts() > 0);
        try (TestRegistry registry = start(config)) {
            Http http = new Http(registry.base());
            assertEquals(200, http.head("/v2/mirror/dist/acme/app/manifests/a-small").status());
            http.get("/v2/mirror/dist/acme/app/manifests/b-big").assertError(404, "MANIFEST_UNKNOWN");
            http.get("/v2/mirror/dist/acme/app/manifests/" + big.digest()).assertError(404, "MANIFEST_UNKNOWN");
            http.get("/v2/mirror/dist/acme/app/blobs/" + big.layer()).assertError(404, "BLOB_UNKNOWN");
            JsonNode tags = http.get("/v2/mirror/dist/acme/app/tags/list").json();
            assertEquals("[\"a-small\"]", tags.get("tags").toString());
        }

        proxy.heal();
        Run healed = MirrorFixtures.cli(config, env(), "mirror", "run", "--progress", "none");
        assertEquals(0, healed.exit(), healed::toString);
        assertTrue(healed.out().contains("1 copied, 1 unchanged"), healed::toString);
        TestRegistry registry = registry(config);
        Http http = new Http(registry.base());
        assertEquals(big.digest().toString(), digestOf(http, "/v2/mirror/dist/acme/app/manifests/b-big"));
        assertArrayEquals(big.layerBytes(), http.get("/v2/mirror/dist/acme/app/blobs/" + big.layer()).body());
        assertFalse(http.get("/v2/mirror/dist/acme/app/tags/list").text().contains("sha256-"));
    }
}
