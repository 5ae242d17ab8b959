package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.marcnuri.helm.Helm;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Content that OCI lock dependencies resolve against, pushed into the registry under test the way
 * real clients push it: Helm charts by Helm itself (helm-java), KCL-shaped packages as akua's
 * fetcher recognises them (wire contract §2.3: manifest annotation {@code dev.akua.package.name} and
 * a plain {@code application/vnd.oci.image.layer.v1.tar} layer), and cosign simple-signing sidecars
 * made with a P-256 key as akua publish makes them (§3.2–3.3).
 */
final class LockFixtures {
    static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** {@code POST /api/v1/lock} with a JSON body; callers may add headers before sending it. */
    static java.net.http.HttpRequest.Builder lockRequest(Http http, JsonNode body) {
        return http.request("/api/v1/lock").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.US_ASCII);

    private final TestRegistry registry;
    private final Http http;
    private final Oci oci;
    private final Path work;

    LockFixtures(TestRegistry registry, Path work) {
        this(registry, work, null);
    }

    /** Pushes and reads with {@code Authorization: <authorization>} (a registry with auth on). */
    LockFixtures(TestRegistry registry, Path work, String authorization) {
        this.registry = registry;
        this.http = new Http(registry.base(), authorization);
        this.oci = new Oci(http);
        this.work = work;
    }

    static KeyPair p256() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        return gen.generateKeyPair();
    }

    static String publicKeyPem(KeyPair key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** The lock value a key's signatures produce: {@code cosign:key:} + 16 hex digits of sha256(SPKI DER). */
    static String lockValue(KeyPair key) throws Exception {
        return "cosign:key:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getPublic().getEncoded())).substring(0, 16);
    }

    /** {@code oci://127.0.0.1:<port>/<repo>}: plain HTTP, as akua uses for 127.0.0.1 (§1.1). */
    String ref(String repo) {
        return "oci://" + registry.hostPort() + "/" + repo;
    }

    /**
     * {@code helm create} + {@code helm package} + {@code helm push} to {@code oci://…/<repoPrefix>}.
     * Returns the chart archive bytes (what the chart layer holds).
     */
    byte[] pushHelmChart(String repoPrefix, String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve("helm-" + repoPrefix.replace('/', '-') + "-" + name));
        Helm chart = Helm.create().withName(name).withDir(dir).call();
        chart.packageIt().withDestination(dir).call();
        Path tgz = dir.resolve(name + "-0.1.0.tgz");
        Helm.push().withChart(tgz).withRemote(URI.create("oci://" + registry.hostPort() + "/" + repoPrefix)).plainHttp().call();
        return Files.readAllBytes(tgz);
    }

    /** A plain tar with {@code <name>/kcl.mod} (and a marker so versions differ); no gzip (§2.3). */
    static byte[] kclTar(String name, String version, String marker) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            add(out, name + "/kcl.mod", "[package]\nname = \"" + name + "\"\nedition = \"v0.10.0\"\nversion = \"" + version + "\"\n");
            add(out, name + "/main.k", "# " + marker + "\nname = \"" + name + "\"\n");
        }
        return tar.toByteArray();
    }

    private static void add(TarArchiveOutputStream out, String path, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(path);
        entry.setSize(bytes.length);
        entry.setModTime(0);
        out.putArchiveEntry(entry);
        out.write(bytes);
        out.closeArchiveEntry();
    }

    /** Pushes a KCL-shaped package under {@code repo:tag}; returns the manifest digest. */
    Digest pushKcl(String repo, String tag, byte[] layer) {
        Digest layerDigest = oci.pushBlob(repo, layer);
        oci.pushBlob(repo, EMPTY_CONFIG);
        byte[] manifest = Oci.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":2,\"digest\":\"" + Digest.sha256(EMPTY_CONFIG) + "\"},"
                + "\"layers\":[{\"mediaType\":\"" + OCI_LAYER_TAR + "\",\"size\":" + layer.length + ",\"digest\":\"" + layerDigest + "\"}],"
                + "\"annotations\":{\"dev.akua.package.name\":\"" + repo.substring(repo.lastIndexOf('/') + 1) + "\"}}");
        Http.Resp r = oci.putManifest(repo, tag, manifest, MediaTypes.OCI_MANIFEST);
        assertEquals(201, r.status(), r::text);
        return Digest.sha256(manifest);
    }

    /** The manifest digest a tag points at, computed over the bytes served (as akua does). */
    Digest manifestDigest(String repo, String tag) {
        Http.Resp r = http.get("/v2/" + repo + "/manifests/" + tag, "Accept", MediaTypes.OCI_MANIFEST);
        assertEquals(200, r.status(), r::text);
        return Digest.sha256(r.body());
    }

    /** The digest of the layer akua's fetcher would pick (§2.3: the Helm chart layer first, else the plain tar). */
    Digest pinnedLayer(String repo, String tag) throws IOException {
        Http.Resp r = http.get("/v2/" + repo + "/manifests/" + tag, "Accept", MediaTypes.OCI_MANIFEST);
        assertEquals(200, r.status(), r::text);
        JsonNode layers = JSON.readTree(r.body()).get("layers");
        for (String type : new String[] {MediaTypes.HELM_CHART_CONTENT, OCI_LAYER_TAR}) {
            for (JsonNode layer : layers) {
                if (type.equals(layer.get("mediaType").asText())) {
                    return Digest.parse(layer.get("digest").asText());
                }
            }
        }
        throw new AssertionError("no chart or KCL layer in " + repo + ":" + tag);
    }

    /** Pushes {@code sha256-<manifest hex>.sig} for repo:tag, signed by {@code key}, as akua publish does. */
    void sign(String repo, String tag, KeyPair key) throws Exception {
        Digest manifestDigest = manifestDigest(repo, tag);
        byte[] payload = Oci.utf8("{\"critical\":{\"identity\":{\"docker-reference\":\"" + registry.hostPort() + "/" + repo
                + "\"},\"image\":{\"docker-manifest-digest\":\"" + manifestDigest
                + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}");
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initSign(key.getPrivate());
        ecdsa.update(payload);
        String signature = Base64.getEncoder().encodeToString(ecdsa.sign());
        oci.pushBlob(repo, payload);
        oci.pushBlob(repo, EMPTY_CONFIG);
        byte[] sidecar = Oci.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"size\":2,\"digest\":\"" + Digest.sha256(EMPTY_CONFIG) + "\"},\"layers\":[{"
                + "\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":" + payload.length + ",\"digest\":\""
                + Digest.sha256(payload) + "\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"" + signature + "\"}}]}");
        String sigTag = manifestDigest.tagForm() + ".sig";
        Http.Resp r = oci.putManifest(repo, sigTag, sidecar, MediaTypes.OCI_MANIFEST);
        assertTrue(r.status() == 201, r::text);
    }

    /** An akua.toml with a [signing] key and the given [dependencies] lines. */
    static String manifest(boolean strictSigning, String dependencies) {
        return "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"akua.dev/v1alpha1\"\nstrict_signing = " + strictSigning
                + "\n\n[signing]\ncosign_public_key = \"./cosign.pub\"\n\n[dependencies]\n" + dependencies + "\n";
    }

    static String sha256(byte[] bytes) {
        return Digest.sha256(bytes).toString();
    }
}
