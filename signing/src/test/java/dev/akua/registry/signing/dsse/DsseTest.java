package dev.akua.registry.signing.dsse;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.signing.key.KeyKind;
import dev.akua.registry.signing.key.SigningKey;
import dev.akua.registry.signing.wire.WireFormatException;
import dev.akua.registry.signing.wire.WireJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DsseTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final WireJson json = new WireJson();

    @Test
    void pae_ofProtocolExample_isDsseV1Encoding() {
        byte[] pae = Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));

        assertEquals("DSSEv1 29 http://example.com/HelloWorld 11 hello world", new String(pae, StandardCharsets.UTF_8));
    }

    @Test
    void pae_countsBytesNotCharacters() {
        byte[] pae = Dsse.pae("t", "é".getBytes(StandardCharsets.UTF_8));

        assertEquals("DSSEv1 1 t 2 é", new String(pae, StandardCharsets.UTF_8));
    }

    @Test
    void envelope_writtenHere_hasAkuaShapeAndVerifies() {
        SigningKey key = SigningKey.generate(KeyKind.ECDSA_P256, RANDOM);
        byte[] statement = "{\"_type\":\"x\"}".getBytes(StandardCharsets.UTF_8);

        byte[] written = new Dsse(json).write(Dsse.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, statement, key));
        Dsse.Envelope back = new Dsse(json).parse(written, 16);

        assertTrue(new String(written, StandardCharsets.UTF_8).startsWith(
                "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"eyJfdHlwZSI6IngifQ==\",\"signatures\":[{\"sig\":\""));
        assertTrue(Dsse.verify(back, List.of(key.publicKey())).ok());
        assertFalse(Dsse.verify(back, List.of(SigningKey.generate(KeyKind.ECDSA_P256, RANDOM).publicKey())).ok());
    }

    @Test
    void verify_anySignatureVerifying_isEnough() {
        SigningKey trusted = SigningKey.generate(KeyKind.ED25519, RANDOM);
        SigningKey other = SigningKey.generate(KeyKind.ECDSA_P256, RANDOM);
        byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        Dsse.Envelope a = Dsse.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, payload, other);
        Dsse.Envelope b = Dsse.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, payload, trusted);
        Dsse.Envelope both = new Dsse.Envelope(Dsse.IN_TOTO_PAYLOAD_TYPE, payload,
                List.of(new Dsse.Signature("k1", null), a.signatures().get(0), b.signatures().get(0)));

        Dsse.Verified verified = Dsse.verify(both, List.of(trusted.publicKey()));

        assertTrue(verified.ok());
        assertEquals(trusted.publicKey(), verified.key());
    }

    @Test
    void parse_withTooManySignatures_isRefused() {
        String sigs = "{\"sig\":\"AA==\"},".repeat(17);
        byte[] env = ("{\"payloadType\":\"t\",\"payload\":\"e30=\",\"signatures\":[" + sigs.substring(0, sigs.length() - 1) + "]}")
                .getBytes(StandardCharsets.UTF_8);

        WireFormatException e = assertThrows(WireFormatException.class, () -> new Dsse(json).parse(env, 16));

        assertTrue(e.getMessage().contains("17 signatures"), e.getMessage());
    }

    @Test
    void slsaProvenance_isAkuaFieldOrder() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("ociRef", "oci://ghcr.io/acme/app");
        params.put("tag", "1.0.0");
        Digest d = Digest.parse("sha256:a3e44727e4012a529cc5a93273488a3b3c5ff62c3f23debd1eacb5143aa4b577");
        Statements.Provenance p = new Statements.Provenance("ghcr.io/acme/app", d, "https://akua.dev/slsa/publish/v1", params,
                List.of(Statements.Provenance.Dependency.fromLock("lib", "git:0123456789abcdef0123456789abcdef01234567", "git+https://x@v1")),
                "https://akua.dev/cli/v0.8.5");

        String text = new String(new Statements(json).slsaProvenance(p), StandardCharsets.UTF_8);

        assertEquals("{\"_type\":\"https://in-toto.io/Statement/v1\","
                + "\"subject\":[{\"name\":\"ghcr.io/acme/app\",\"digest\":{\"sha256\":\"a3e44727e4012a529cc5a93273488a3b3c5ff62c3f23debd1eacb5143aa4b577\"}}],"
                + "\"predicateType\":\"https://slsa.dev/provenance/v1\","
                + "\"predicate\":{\"buildDefinition\":{\"buildType\":\"https://akua.dev/slsa/publish/v1\","
                + "\"externalParameters\":{\"ociRef\":\"oci://ghcr.io/acme/app\",\"tag\":\"1.0.0\"},"
                + "\"resolvedDependencies\":[{\"name\":\"lib\",\"digest\":{\"git\":\"0123456789abcdef0123456789abcdef01234567\"},\"uri\":\"git+https://x@v1\"}]},"
                + "\"runDetails\":{\"builder\":{\"id\":\"https://akua.dev/cli/v0.8.5\"}}}}", text);
        InTotoStatement parsed = InTotoStatement.parse(json, text.getBytes(StandardCharsets.UTF_8));
        assertTrue(parsed.hasSubject(d));
        assertEquals(Statements.SLSA_PROVENANCE_V1, parsed.predicateType());
    }

    @Test
    void statement_withWrongType_isRefused() {
        byte[] s = "{\"_type\":\"https://example/other\",\"subject\":[],\"predicateType\":\"p\"}".getBytes(StandardCharsets.UTF_8);

        WireFormatException e = assertThrows(WireFormatException.class, () -> InTotoStatement.parse(json, s));

        assertTrue(e.getMessage().startsWith("statement _type is https://example/other"), e.getMessage());
    }
}
