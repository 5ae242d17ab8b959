package dev.akua.registry.signing.key;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.signing.wire.WireFormatException;
import dev.akua.registry.signing.wire.WireJson;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * cosign's own encrypted private-key format ({@code ENCRYPTED SIGSTORE PRIVATE KEY}, before cosign
 * 2.0 {@code ENCRYPTED COSIGN PRIVATE KEY}; skopeo's {@code --sign-by-sigstore-private-key} reads the
 * same): the PEM body is the JSON of go-securesystemslib's {@code encrypted} package,
 * <pre>{"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":"&lt;b64&gt;"},
 *  "cipher":{"name":"nacl/secretbox","nonce":"&lt;b64&gt;"},"ciphertext":"&lt;b64&gt;"}</pre>
 * The key is scrypt(passphrase, salt, N, r, p, 32); the ciphertext is NaCl secretbox
 * (XSalsa20 + Poly1305: the Poly1305 key is the first 32 keystream bytes, the message is XORed with
 * the keystream from byte 32 on, and the 16-byte tag comes first). The plaintext is the PKCS#8 DER
 * of the private key.
 *
 * <p>This composes Bouncy Castle's scrypt, XSalsa20 and Poly1305; no primitive is implemented here.
 */
final class CosignKeyFile {
    static final String PEM_TYPE = "ENCRYPTED SIGSTORE PRIVATE KEY";
    static final String LEGACY_PEM_TYPE = "ENCRYPTED COSIGN PRIVATE KEY";

    /** go-securesystemslib's defaults, which cosign uses. */
    static final int DEFAULT_N = 32768;
    static final int DEFAULT_R = 8;
    static final int DEFAULT_P = 1;
    /** scrypt needs 128·N·r bytes; refuse files that would make us allocate more than this. */
    private static final long MAX_SCRYPT_MEMORY = 256L * 1024 * 1024;
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 24;
    private static final int TAG_BYTES = 16;

    private CosignKeyFile() {
    }

    static byte[] decrypt(WireJson json, byte[] body, byte[] passphrase) {
        JsonNode root;
        try {
            root = json.parseObject(body, "cosign key file");
        } catch (WireFormatException e) {
            throw new KeyFormatException(e.getMessage());
        }
        JsonNode kdf = root.path("kdf");
        JsonNode cipher = root.path("cipher");
        if (!"scrypt".equals(kdf.path("name").asText())) {
            throw new KeyFormatException("cosign key file: unsupported kdf " + kdf.path("name").asText("(missing)"));
        }
        if (!"nacl/secretbox".equals(cipher.path("name").asText())) {
            throw new KeyFormatException("cosign key file: unsupported cipher " + cipher.path("name").asText("(missing)"));
        }
        JsonNode params = kdf.path("params");
        int n = intParam(params, "N");
        int r = intParam(params, "r");
        int p = intParam(params, "p");
        if (n < 2 || Integer.bitCount(n) != 1 || r < 1 || p < 1 || p > 16
                || 128L * n * r > MAX_SCRYPT_MEMORY) {
            throw new KeyFormatException("cosign key file: scrypt parameters out of range (N=" + n + ", r=" + r + ", p=" + p + ")");
        }
        byte[] salt = base64(kdf, "salt");
        byte[] nonce = base64(cipher, "nonce");
        byte[] box = base64(root, "ciphertext");
        if (nonce.length != NONCE_BYTES) {
            throw new KeyFormatException("cosign key file: nonce must be 24 bytes");
        }
        if (box.length < TAG_BYTES) {
            throw new KeyFormatException("cosign key file: ciphertext too short");
        }
        byte[] key = SCrypt.generate(passphrase, salt, n, r, p, KEY_BYTES);
        try {
            byte[] plain = open(box, nonce, key);
            if (plain == null) {
                throw new KeyFormatException("cosign key file: wrong passphrase or corrupt key (authentication failed)");
            }
            return plain;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The PEM body (JSON) for {@code plaintext} under {@code passphrase}, with cosign's default parameters. */
    static byte[] encrypt(WireJson json, byte[] plaintext, byte[] passphrase, SecureRandom random) {
        byte[] salt = new byte[32];
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        byte[] key = SCrypt.generate(passphrase, salt, DEFAULT_N, DEFAULT_R, DEFAULT_P, KEY_BYTES);
        byte[] box;
        try {
            box = seal(plaintext, nonce, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        Base64.Encoder b64 = Base64.getEncoder();
        // Field order of go-securesystemslib's structs: kdf{name,params{N,r,p},salt}, cipher{name,nonce}, ciphertext.
        return json.writeGoStyle(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("kdf");
            g.writeStringField("name", "scrypt");
            g.writeObjectFieldStart("params");
            g.writeNumberField("N", DEFAULT_N);
            g.writeNumberField("r", DEFAULT_R);
            g.writeNumberField("p", DEFAULT_P);
            g.writeEndObject();
            g.writeStringField("salt", b64.encodeToString(salt));
            g.writeEndObject();
            g.writeObjectFieldStart("cipher");
            g.writeStringField("name", "nacl/secretbox");
            g.writeStringField("nonce", b64.encodeToString(nonce));
            g.writeEndObject();
            g.writeStringField("ciphertext", b64.encodeToString(box));
            g.writeEndObject();
        });
    }

    private static byte[] seal(byte[] plaintext, byte[] nonce, byte[] key) {
        XSalsa20Engine stream = new XSalsa20Engine();
        stream.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] polyKey = new byte[32];
        stream.processBytes(new byte[32], 0, 32, polyKey, 0);
        byte[] out = new byte[TAG_BYTES + plaintext.length];
        stream.processBytes(plaintext, 0, plaintext.length, out, TAG_BYTES);
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(polyKey));
        mac.update(out, TAG_BYTES, plaintext.length);
        mac.doFinal(out, 0);
        Arrays.fill(polyKey, (byte) 0);
        return out;
    }

    private static byte[] open(byte[] box, byte[] nonce, byte[] key) {
        XSalsa20Engine stream = new XSalsa20Engine();
        stream.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] polyKey = new byte[32];
        stream.processBytes(new byte[32], 0, 32, polyKey, 0);
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(polyKey));
        mac.update(box, TAG_BYTES, box.length - TAG_BYTES);
        byte[] tag = new byte[TAG_BYTES];
        mac.doFinal(tag, 0);
        Arrays.fill(polyKey, (byte) 0);
        if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(box, 0, TAG_BYTES))) {
            return null;
        }
        byte[] plain = new byte[box.length - TAG_BYTES];
        stream.processBytes(box, TAG_BYTES, plain.length, plain, 0);
        return plain;
    }

    private static int intParam(JsonNode params, String name) {
        JsonNode v = params.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new KeyFormatException("cosign key file: scrypt parameter " + name + " missing or not an integer");
        }
        return v.intValue();
    }

    private static byte[] base64(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new KeyFormatException("cosign key file: " + field + " missing");
        }
        try {
            return Base64.getDecoder().decode(v.asText());
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("cosign key file: " + field + " is not base64");
        }
    }
}
