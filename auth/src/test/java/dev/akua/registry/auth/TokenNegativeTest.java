package dev.akua.registry.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way a bearer JWT can be wrong is refused with 401 and a Bearer challenge that names the
 * scope the request needs and {@code error="invalid_token"}, parseable the way akua 0.8.5 parses
 * it. Forged tokens are signed here with nimbus directly: with the registry's own key (read from
 * the key file it generated) when only a claim is wrong, with another key otherwise.
 */
class TokenNegativeTest {
    @TempDir
    Path dir;
    AuthFixture fixture;
    AccessControl access;
    final Scope pull = Scope.repository(RepositoryName.parse("team/app"), Action.PULL);

    @BeforeEach
    void setUp() {
        fixture = new AuthFixture(dir);
        access = fixture.open();
    }

    @AfterEach
    void tearDown() {
        access.close();
    }

    @Test
    void authorize_validToken_allowed() throws Exception {
        assertInstanceOf(AuthDecision.Allowed.class, access.authorize("Bearer " + sign(registryKey(), c -> c),
                AuthFixture.CLIENT, List.of(pull)), "the forging helper makes good tokens when nothing is changed");
        assertInstanceOf(AuthDecision.Allowed.class, access.authorize("Bearer " + aliceToken(), AuthFixture.CLIENT, List.of(pull)));
    }

    @Test
    void authorize_expiredToken_invalidTokenChallenge() {
        String token = aliceToken();
        fixture.clock.advance(Duration.ofHours(1).plusMinutes(1));
        assertInvalidToken(token, "expired");
    }

    @Test
    void authorize_tokenNotYetValid_invalidTokenChallenge() throws Exception {
        Instant now = fixture.clock.instant();
        String token = sign(registryKey(), c -> c.notBeforeTime(Date.from(now.plusSeconds(600))).issueTime(Date.from(now.plusSeconds(600))));
        assertInvalidToken(token, "not yet valid");
    }

    @Test
    void authorize_wrongAudience_invalidTokenChallenge() throws Exception {
        assertInvalidToken(sign(registryKey(), c -> c.audience("another-registry")), "aud");
    }

    @Test
    void authorize_wrongIssuer_invalidTokenChallenge() throws Exception {
        assertInvalidToken(sign(registryKey(), c -> c.issuer("someone-else")), "iss");
    }

    @Test
    void authorize_algNone_invalidTokenChallenge() {
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
        String payload = Base64URL.encode(claims(c -> c).toString()).toString();
        assertInvalidToken(header + "." + payload + ".", "rejected");
    }

    @Test
    void authorize_signedByAnotherKey_invalidTokenChallenge() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID(registryKey().getKeyID()).generate();
        assertInvalidToken(sign(other, c -> c), "rejected");
    }

    @Test
    void authorize_hmacWithThePublicKeyAsSecret_invalidTokenChallenge() throws Exception {
        byte[] secret = registryKey().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims(c -> c));
        jwt.sign(new MACSigner(secret));
        assertInvalidToken(jwt.serialize(), "rejected");
    }

    @Test
    void authorize_tamperedPayload_invalidTokenChallenge() {
        String[] parts = aliceToken().split("\\.");
        JWTClaimsSet widened = claims(c -> c.claim("access", List.of(Map.of("type", "repository", "name", "team/app",
                "actions", List.of("pull", "push", "delete")))));
        String tampered = parts[0] + "." + Base64URL.encode(widened.toString()) + "." + parts[2];
        assertInvalidToken(tampered, "rejected");
    }

    @Test
    void authorize_garbageBearer_invalidTokenChallenge() {
        assertInvalidToken("not.a.jwt", "malformed");
    }

    @Test
    void authorize_userRemovedAfterIssue_invalidTokenChallenge() {
        String token = aliceToken();
        new dev.akua.registry.auth.principal.UserFileEditor(fixture.usersFile()).remove("alice");
        assertInvalidToken(token, "no longer valid");
    }

    @Test
    void authorize_robotRevokedAfterIssue_invalidTokenChallenge() {
        String token = AuthFixture.jwt(access, AuthFixture.basic("ci", fixture.robotSecret), pull.toString());
        assertInstanceOf(AuthDecision.Allowed.class, access.authorize("Bearer " + token, AuthFixture.CLIENT, List.of(pull)));
        new dev.akua.registry.auth.principal.ApiTokenStore(fixture.tokensFile(), fixture.clock, fixture.random).revoke("ci");
        assertInvalidToken(token, "no longer valid");
    }

    private void assertInvalidToken(String token, String reasonFragment) {
        AuthDecision d = access.authorize("Bearer " + token, AuthFixture.CLIENT, List.of(pull));
        OciException e = assertInstanceOf(AuthDecision.Unauthorized.class, d).toException();
        assertEquals(401, e.status());
        assertEquals(ErrorCode.UNAUTHORIZED, e.code());
        assertTrue(e.getMessage().contains(reasonFragment), () -> "message '" + e.getMessage() + "' lacks '" + reasonFragment + "'");
        Map<String, String> challenge = AkuaChallenge.parse(e.headers().get("WWW-Authenticate"));
        assertEquals(Map.of("realm", AuthFixture.REALM, "service", AuthFixture.SERVICE,
                "scope", "repository:team/app:pull", "error", "invalid_token"), challenge);
    }

    private String aliceToken() {
        return AuthFixture.jwt(access, AuthFixture.basic("alice", AuthFixture.PASSWORD), pull.toString());
    }

    /** The registry's own key, read from the PKCS#8 file it generated (as someone holding the file could). */
    private ECKey registryKey() throws Exception {
        Path file = dir.resolve("auth/token-signing-key.pem");
        String pem = Files.readString(file);
        byte[] der = java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        var priv = (java.security.interfaces.ECPrivateKey) java.security.KeyFactory.getInstance("EC")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
        var pub = (java.security.interfaces.ECPublicKey) dev.akua.registry.auth.token.TokenSigningKey.load(file).publicJwk()
                .toECKey().toPublicKey();
        return new ECKey.Builder(Curve.P_256, pub).privateKey(priv)
                .keyID(dev.akua.registry.auth.token.TokenSigningKey.load(file).keyId()).build();
    }

    /** Good claims for alice pulling team/app, changed by {@code change}. */
    private JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
        Instant now = fixture.clock.instant();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .issuer("akua-registry").audience(AuthFixture.SERVICE).subject("user:alice")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .jwtID("forged-1")
                .claim("access", List.of(Map.of("type", "repository", "name", "team/app", "actions", List.of("pull"))));
        return change.apply(b).build();
    }

    private String sign(ECKey key, UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(key.getKeyID()).build(),
                claims(change));
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }
}
