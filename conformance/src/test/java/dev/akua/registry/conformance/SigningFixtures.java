package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Content for the signing tests, made the way cosign and akua make it (akua-wire-contract.md §3):
 * P-256 keys and signatures made by the {@code openssl} CLI over the exact payload bytes (so nothing
 * Java-side is trusted to produce what it later verifies), simple-signing payloads, {@code .sig} and
 * {@code .att} sidecars with the {@code {}} config, pushed through {@code /v2} like a client.
 */
final class SigningFixtures {
    static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.US_ASCII);
    static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;
    private final Http http;
    private final Oci oci;
    private int counter;

    SigningFixtures(Path dir, Http http) {
        this.dir = dir;
        this.http = http;
        this.oci = new Oci(http);
    }

    /** An ECDSA P-256 key pair made by openssl: {@code <name>.key} (SEC1 PEM) and {@code <name>.pub} (SPKI PEM). */
    record KeyFiles(Path privateKey, Path publicKey) {
        String publicPem() {
            try {
                return Files.readString(publicKey);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static KeyFiles opensslKey(Path dir, String name) {
        Tools.ok(dir, "openssl", "ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", name + ".key");
        Tools.ok(dir, "openssl", "ec", "-in", name + ".key", "-pubout", "-out", name + ".pub");
        return new KeyFiles(dir.resolve(name + ".key"), dir.resolve(name + ".pub"));
    }

    /** DER ECDSA-SHA256 signature over {@code data}, made by {@code openssl dgst -sha256 -sign}. */
    byte[] opensslSign(KeyFiles key, byte[] data) {
        try {
            int n = ++counter;
            Path in = dir.resolve("data-" + n);
            Path sig = dir.resolve("sig-" + n + ".der");
            Files.write(in, data);
            Tools.ok(dir, "openssl", "dgst", "-sha256", "-sign", key.privateKey().toString(), "-out", sig.toString(), in.toString());
            return Files.readAllBytes(sig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code openssl dgst -sha256 -verify pub -signature sig data}: true when openssl says "Verified OK". */
    boolean opensslVerify(Path publicKey, byte[] data, byte[] signature) {
        try {
            int n = ++counter;
            Path in = dir.resolve("vdata-" + n);
            Path sig = dir.resolve("vsig-" + n + ".der");
            Files.write(in, data);
            Files.write(sig, signature);
            Tools.Result r = Tools.run(dir, "openssl", "dgst", "-sha256", "-verify", publicKey.toString(), "-signature", sig.toString(), in.toString());
            return r.exit() == 0 && r.output().strip().equals("Verified OK");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** cosign's simple-signing payload in akua's exact compact form (§3.2). */
    static byte[] payload(String dockerReference, Digest subject) {
        return utf8("{\"critical\":{\"identity\":{\"docker-reference\":\"" + dockerReference + "\"},\"image\":{\"docker-manifest-digest\":\""
                + subject + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}");
    }

    /** A sidecar layer descriptor: payload plus base64 signature annotation. */
    static String signatureLayer(byte[] payload, byte[] signature) {
        return "{\"mediaType\":\"" + MediaTypes.COSIGN_SIMPLE_SIGNING + "\",\"size\":" + payload.length + ",\"digest\":\"" + Digest.sha256(payload)
                + "\",\"annotations\":{\"" + SIGNATURE_ANNOTATION + "\":\"" + Base64.getEncoder().encodeToString(signature) + "\"}}";
    }

    /** A {@code .sig}/{@code .att} sidecar manifest over the given layer descriptors (§3.3). */
    static byte[] sidecar(List<String> layers) {
        return utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG
                + "\",\"size\":2,\"digest\":\"" + Digest.sha256(EMPTY_CONFIG) + "\"},\"layers\":[" + String.join(",", layers) + "]}");
    }

    static String sigTag(Digest subject) {
        return subject.tagForm() + ".sig";
    }

    static String attTag(Digest subject) {
        return subject.tagForm() + ".att";
    }

    /** Signs {@code subject} with openssl and pushes the sidecar to {@code sha256-<hex>.sig}; returns the sidecar digest. */
    Digest pushSignature(String repo, Digest subject, String dockerReference, KeyFiles key) {
        byte[] payload = payload(dockerReference, subject);
        return pushSidecar(repo, sigTag(subject), List.of(payload), List.of(signatureLayer(payload, opensslSign(key, payload))));
    }

    /** Pushes the blobs and a sidecar manifest of {@code layers} under {@code tag}; returns its digest. */
    Digest pushSidecar(String repo, String tag, List<byte[]> blobs, List<String> layers) {
        for (byte[] b : blobs) {
            oci.pushBlob(repo, b);
        }
        oci.pushBlob(repo, EMPTY_CONFIG);
        byte[] manifest = sidecar(layers);
        Http.Resp r = oci.putManifest(repo, tag, manifest, MediaTypes.OCI_MANIFEST);
        assertEquals(201, r.status(), r::text);
        return Digest.sha256(manifest);
    }

    /**
     * An akua-style SLSA attestation (§3.5): in-toto statement about {@code subject}, in a DSSE
     * envelope signed by openssl over the PAE, pushed to {@code sha256-<hex>.att}.
     */
    Digest pushAttestation(String repo, Digest subject, String name, KeyFiles key) {
        byte[] statement = utf8("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"" + name + "\",\"digest\":{\"sha256\":\""
                + subject.hex() + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{\"buildDefinition\":{\"buildType\":"
                + "\"https://akua.dev/slsa/publish/v1\",\"externalParameters\":{\"ociRef\":\"oci://" + name + "\",\"tag\":\"1.0.0\"}},"
                + "\"runDetails\":{\"builder\":{\"id\":\"https://akua.dev/cli/v0.8.5\"}}}}");
        String type = "application/vnd.in-toto+json";
        byte[] pae = utf8("DSSEv1 " + type.length() + " " + type + " " + statement.length + " " + new String(statement, StandardCharsets.UTF_8));
        byte[] envelope = utf8("{\"payloadType\":\"" + type + "\",\"payload\":\"" + Base64.getEncoder().encodeToString(statement)
                + "\",\"signatures\":[{\"sig\":\"" + Base64.getEncoder().encodeToString(opensslSign(key, pae)) + "\"}]}");
        return pushSidecar(repo, attTag(subject), List.of(envelope), List.of(Oci.descriptor(MediaTypes.DSSE_ENVELOPE, envelope)));
    }

    /** Pushes an image of {@link OciLayout} (its config and layers from the layout directory) under {@code tag}. */
    Digest pushLayoutImage(Path layout, String repo, String tag, byte[] manifest) {
        try {
            JsonNode m = JSON.readTree(manifest);
            oci.pushBlob(repo, Files.readAllBytes(layout.resolve("blobs/sha256/" + Digest.parse(m.get("config").get("digest").asText()).hex())));
            for (JsonNode l : m.get("layers")) {
                oci.pushBlob(repo, Files.readAllBytes(layout.resolve("blobs/sha256/" + Digest.parse(l.get("digest").asText()).hex())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Http.Resp r = oci.putManifest(repo, tag, manifest, MediaTypes.OCI_MANIFEST);
        assertEquals(201, r.status(), r::text);
        return Digest.sha256(manifest);
    }

    /** Writes a registry configuration file. */
    static Path config(Path dir, String yaml) {
        try {
            Path file = dir.resolve("akua-registry-" + Math.abs(yaml.hashCode()) + ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    Oci oci() {
        return oci;
    }
}
