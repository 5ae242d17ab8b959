package dev.akua.registry.lockfile.oci;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.akua.registry.lockfile.DependencyReport;
import dev.akua.registry.lockfile.LockMode;
import dev.akua.registry.lockfile.LockOutcome;
import dev.akua.registry.lockfile.LockRequest;
import dev.akua.registry.lockfile.LockService;
import dev.akua.registry.lockfile.error.LockException;
import dev.akua.registry.lockfile.helm.HelmRepoResolver;
import dev.akua.registry.remote.AddressPolicy;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.oci.DistributionRegistry;
import dev.akua.registry.remote.RemoteConfig;

/**
 * OCI dependencies against a real registry (CNCF Distribution, Debian's docker-registry): a Helm
 * chart pushed by Helm itself (helm-java) and a KCL-shaped package pushed the way akua pushes,
 * signed with cosign's simple-signing format (§3.2–3.3) or not, under strict_signing.
 */
class OciLockTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EMPTY_CONFIG_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    @TempDir
    static Path dir;
    private static DistributionRegistry registry;
    private static KeyPair key;
    private static KeyPair otherKey;
    private static String publicKeyPem;

    @BeforeAll
    static void start() throws Exception {
        registry = new DistributionRegistry(Files.createDirectories(dir.resolve("registry")));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        key = generator.generateKeyPair();
        otherKey = generator.generateKeyPair();
        publicKeyPem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";

        // A Helm chart pushed by Helm: signed (charts/demo:0.1.0) and unsigned (charts/plain:0.1.0).
        for (String name : new String[] {"demo", "plain"}) {
            Path work = Files.createDirectories(dir.resolve("helm-" + name));
            Helm chart = Helm.create().withName(name).withDir(work).call();
            chart.packageIt().withDestination(work).call();
            Helm.push().withChart(work.resolve(name + "-0.1.0.tgz")).withRemote(URI.create("oci://" + registry.host() + "/charts"))
                    .plainHttp().call();
        }
        sign("charts/demo", "0.1.0", key);

        // KCL-shaped packages: annotation + plain tar layer with kcl.mod; three versions, the last two signed.
        for (String version : new String[] {"0.1.0", "0.2.0", "1.0.0"}) {
            pushKcl("kcl/k8s", version);
            if (!version.equals("0.1.0")) {
                sign("kcl/k8s", version, key);
            }
        }
        pushKcl("kcl/forged", "1.0.0");
        sign("kcl/forged", "1.0.0", otherKey);
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    private static void pushKcl(String repo, String version) throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            byte[] mod = ("[package]\nname = \"k8s\"\nedition = \"v0.10.0\"\nversion = \"" + version + "\"\n").getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry("k8s/kcl.mod");
            entry.setSize(mod.length);
            entry.setModTime(0);
            out.putArchiveEntry(entry);
            out.write(mod);
            out.closeArchiveEntry();
        }
        byte[] layer = tar.toByteArray();
        String layerDigest = registry.pushBlob(repo, layer);
        registry.pushBlob(repo, "{}".getBytes(StandardCharsets.UTF_8));
        pushOciManifest(repo, version, "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":2,\"digest\":\"" + EMPTY_CONFIG_DIGEST + "\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"size\":" + layer.length + ",\"digest\":\"" + layerDigest + "\"}],"
                + "\"annotations\":{\"org.kcllang.package.name\":\"k8s\",\"org.kcllang.package.version\":\"" + version + "\"}}");
    }

    private static void pushOciManifest(String repo, String reference, String json) throws Exception {
        registry.pushManifest(repo, reference, json.getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.manifest.v1+json");
    }

    /** Pushes a cosign .sig manifest for repo:tag as akua publish does (§3.2, §3.3). */
    private static void sign(String repo, String tag, KeyPair signer) throws Exception {
        String manifestDigest = "sha256:" + DistributionRegistry.sha256(registry.manifest(repo, tag));
        String payload = "{\"critical\":{\"identity\":{\"docker-reference\":\"" + registry.host() + "/" + repo + "\"},\"image\":{"
                + "\"docker-manifest-digest\":\"" + manifestDigest + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}";
        byte[] payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initSign(signer.getPrivate());
        ecdsa.update(payloadBytes);
        String signature = Base64.getEncoder().encodeToString(ecdsa.sign());
        String payloadDigest = registry.pushBlob(repo, payloadBytes);
        registry.pushBlob(repo, "{}".getBytes(StandardCharsets.UTF_8));
        pushOciManifest(repo, manifestDigest.replace(':', '-') + ".sig", "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":2,\"digest\":\"" + EMPTY_CONFIG_DIGEST + "\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":" + payloadBytes.length
                + ",\"digest\":\"" + payloadDigest + "\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"" + signature + "\"}}]}");
    }

    private static LockService service() {
        RemoteConfig config = RemoteConfig.defaults().withAddressPolicy(AddressPolicy.publicOnly().withLoopbackAllowed())
                .withTotalTimeout(Duration.ofSeconds(20));
        return LockService.create(RemoteClient.create(config), new CosignKeyVerifier(), HelmRepoResolver.Limits.defaults());
    }

    private static LockOutcome lock(String deps, boolean strict) throws LockException {
        String manifest = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"akua.dev/v1alpha1\"\nstrict_signing = " + strict
                + "\n\n[signing]\ncosign_public_key = \"./cosign.pub\"\n\n[dependencies]\n" + deps + "\n";
        return service().resolve(new LockRequest(manifest, Optional.empty(), LockMode.LOCK, Optional.empty(), Optional.of(publicKeyPem), Optional.empty()));
    }

    private static String layerDigest(String repo, String tag, String mediaType) throws Exception {
        JsonNode manifest = JSON.readTree(registry.manifest(repo, tag));
        for (JsonNode layer : manifest.get("layers")) {
            if (layer.get("mediaType").asText().equals(mediaType)) {
                return layer.get("digest").asText();
            }
        }
        throw new AssertionError("no " + mediaType + " layer in " + repo + ":" + tag);
    }

    @Test
    void lock_signedHelmChartPushedByHelm_pinsChartLayerDigestAndKeySignature() throws Exception {
        LockOutcome outcome = lock("demo = { oci = \"oci://" + registry.host() + "/charts/demo\", version = \"0.1.0\" }", true);

        DependencyReport demo = outcome.dependencies().getFirst();
        assertEquals(layerDigest("charts/demo", "0.1.0", "application/vnd.cncf.helm.chart.content.v1.tar+gzip"), demo.digest());
        assertEquals("oci://" + registry.host() + "/charts/demo", demo.source());
        assertEquals("0.1.0", demo.version());
        assertTrue(demo.signature().matches("cosign:key:[0-9a-f]{16}"), demo.signature());
        assertTrue(outcome.lockText().contains("signature = \"" + demo.signature() + "\"\n"), outcome.lockText());
    }

    @Test
    void lock_registryWhoseReferrersApiAnswers405_stillLocksOnTheSidecar() throws Exception {
        // the real registry behind a front that breaks only the referrers API, as some registries do
        WireMockServer front = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        front.start();
        try {
            front.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom("http://" + registry.host())));
            front.stubFor(get(urlPathMatching("/v2/.+/referrers/.+")).atPriority(1).willReturn(aResponse().withStatus(405)));

            LockOutcome outcome = lock("demo = { oci = \"oci://127.0.0.1:" + front.port() + "/charts/demo\", version = \"0.1.0\" }", true);

            assertTrue(outcome.dependencies().getFirst().signature().matches("cosign:key:[0-9a-f]{16}"), outcome.lockText());
            front.verify(getRequestedFor(urlPathMatching("/v2/charts/demo/referrers/sha256:[0-9a-f]{64}")));
        } finally {
            front.stop();
        }
    }

    @Test
    void lock_unsignedChartUnderStrictSigning_failsNamingIt() {
        LockException e = assertThrows(LockException.class,
                () -> lock("plain = { oci = \"oci://" + registry.host() + "/charts/plain\", version = \"0.1.0\" }", true));

        assertEquals(LockException.Reason.SIGNATURE_REQUIRED, e.reason());
        assertEquals("plain", e.dependency().orElseThrow());
        assertTrue(e.getMessage().contains("not signed"), e.getMessage());
    }

    @Test
    void lock_unsignedChartWithoutStrictSigning_lockedWithoutSignatureAndNoted() throws Exception {
        LockOutcome outcome = lock("plain = { oci = \"oci://" + registry.host() + "/charts/plain\", version = \"0.1.0\" }", false);

        DependencyReport plain = outcome.dependencies().getFirst();
        assertNull(plain.signature());
        assertTrue(plain.notes().getFirst().startsWith("unsigned"), plain.notes().toString());
        assertTrue(!outcome.lockText().contains("signature"), outcome.lockText());
    }

    @Test
    void lock_kclPackageWithSemverRange_picksHighestSignedMatchAndPinsTarLayer() throws Exception {
        LockOutcome outcome = lock("k8s = { oci = \"oci://" + registry.host() + "/kcl/k8s\", version = \">=0.1.0 <1.0.0\" }", true);

        DependencyReport k8s = outcome.dependencies().getFirst();
        assertEquals("0.2.0", k8s.version());
        assertEquals(layerDigest("kcl/k8s", "0.2.0", "application/vnd.oci.image.layer.v1.tar"), k8s.digest());
        assertTrue(k8s.signature().startsWith("cosign:key:"));
    }

    @Test
    void lock_signatureByAnotherKey_rejectedUnderStrictSigning() {
        LockException e = assertThrows(LockException.class,
                () -> lock("forged = { oci = \"oci://" + registry.host() + "/kcl/forged\", version = \"1.0.0\" }", true));

        assertEquals(LockException.Reason.SIGNATURE_REQUIRED, e.reason());
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
    }

    @Test
    void lock_unknownTag_notFound() {
        LockException e = assertThrows(LockException.class,
                () -> lock("k8s = { oci = \"oci://" + registry.host() + "/kcl/k8s\", version = \"9.9.9\" }", true));

        assertEquals(LockException.Reason.NOT_FOUND, e.reason());
    }
}
