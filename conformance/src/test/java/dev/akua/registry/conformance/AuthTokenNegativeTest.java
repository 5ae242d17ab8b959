package dev.akua.registry.conformance;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.akua.registry.auth.token.TokenSigningKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Forged and stale tokens over HTTP (issue 3 "done when", item 3): each is refused with 401
 * {@code UNAUTHORIZED} and the right challenge (realm, service, the scope the request needs,
 * {@code error="invalid_token"}), parsed the way akua parses it. Tokens are minted here with the
 * registry's own generated key ({@code <root>/auth/token-signing-key.pem}), so a control token
 * minted the same way passes: the refusals come from the one broken property, not from minting.
 */
class AuthTokenNegativeTest {
    static final String REPO = "neg/app";

    @TempDir
    static Path root;
    static AuthTestRegistry auth;
    static ECPrivateKey key;
    static String keyId;
    static String publicJwk;

    @BeforeAll
    static void start() throws Exception {
        auth = AuthTestRegistry.start(root, """
                  permissions:
                    - repository: "neg/**"
                      grants: {"user:alice": [pull, push]}
                """, Map.of());
        auth.addUser("alice", "alice-pw");
        AuthHttp.bearer(auth.http, auth.token(AuthTestRegistry.basic("alice", "alice-pw"), "repository:" + REPO + ":pull,push"))
                .pushImage(REPO, "latest", "negative");
        Path pem = auth.authDir().resolve("token-signing-key.pem");
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        TokenSigningKey registryKey = TokenSigningKey.load(pem);
        keyId = registryKey.keyId();
        publicJwk = registryKey.publicJwk().toJSONString();
    }

    @AfterAll
    static void stop() {
        auth.close();
    }

    static JWTClaimsSet.Builder claims(Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer("akua-registry")
                .audience("akua-registry")
                .subject("user:alice")
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .jwtID(UUID.randomUUID().toString())
                .claim("access", List.of(Map.of("type", "repository", "name", REPO, "actions", List.of("pull"))));
    }

    static String sign(JWTClaimsSet claims, ECPrivateKey with) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                    .keyID(keyId).build(), claims);
            JWSSigner signer = new ECDSASigner(with);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Http.Resp pull(String token) {
        return AuthHttp.bearer(auth.http, token).get("/v2/" + REPO + "/manifests/latest");
    }

    record Forgery(String name, Supplier<String> token) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Forgery> forgeries() {
        Instant now = Instant.now();
        return List.of(
                new Forgery("expired", () -> sign(claims(now.minus(Duration.ofMinutes(20)))
                        .expirationTime(Date.from(now.minus(Duration.ofMinutes(5)))).build(), key)),
                new Forgery("not-yet-valid", () -> sign(claims(now).notBeforeTime(Date.from(now.plus(Duration.ofMinutes(5)))).build(), key)),
                new Forgery("wrong-audience", () -> sign(claims(now).audience("other-registry").build(), key)),
                new Forgery("wrong-issuer", () -> sign(claims(now).issuer("someone-else").build(), key)),
                new Forgery("alg-none", () -> new PlainJWT(new PlainHeader.Builder().type(JOSEObjectType.JWT).build(),
                        claims(now).build()).serialize()),
                new Forgery("signed-by-another-key", () -> {
                    try {
                        return sign(claims(now).build(), new ECKeyGenerator(Curve.P_256).generate().toECPrivateKey());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }),
                new Forgery("hs256-with-the-public-key", () -> {
                    try {
                        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims(now).build());
                        byte[] secret = publicJwk.getBytes(StandardCharsets.UTF_8);
                        jwt.sign(new MACSigner(java.util.Arrays.copyOf(secret, Math.max(32, secret.length))));
                        return jwt.serialize();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }),
                new Forgery("tampered-payload", () -> {
                    String[] parts = sign(claims(now).build(), key).split("\\.");
                    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                            .replace("\"pull\"", "\"pull\",\"push\",\"delete\"");
                    return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                            + "." + parts[2];
                }),
                new Forgery("garbage", () -> "not.a.jwt"));
    }

    @Test
    void control_tokenMintedTheSameWay_isAccepted() {
        assertEquals(200, pull(sign(claims(Instant.now()).build(), key)).status(),
                "a correctly minted token passes, so each refusal below is due to its one defect");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void forgedOrStaleToken_401WithInvalidTokenChallenge(Forgery forgery) {
        Http.Resp r = pull(forgery.token().get()).assertError(401, "UNAUTHORIZED");
        Map<String, String> challenge = AkuaAuthClient.parseChallenge(r.header("WWW-Authenticate").orElseThrow());
        assertEquals(Map.of(
                "realm", "http://" + auth.hostPort() + "/token",
                "service", "akua-registry",
                "scope", "repository:" + REPO + ":pull",
                "error", "invalid_token"), challenge, forgery.name());
        assertEquals(1, r.headerValues("WWW-Authenticate").size());
    }
}
