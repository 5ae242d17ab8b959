package dev.akua.registry.auth.token;

import com.nimbusds.jose.JWSAlgorithm;
import dev.akua.registry.auth.Action;
import dev.akua.registry.auth.ExternalTool;
import dev.akua.registry.auth.MutableClock;
import dev.akua.registry.auth.Scope;
import dev.akua.registry.oci.RepositoryName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Key generation, persistence and loading keys made by openssl (Debian package openssl). */
class TokenSigningKeyTest {
    @TempDir
    Path dir;
    final SecureRandom random = new SecureRandom();
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));

    @Test
    void loadOrGenerate_firstStartCreatesOwnerOnlyFile_laterStartsReuseIt() throws Exception {
        Path pem = dir.resolve("auth/token-signing-key.pem");
        TokenSigningKey first = TokenSigningKey.loadOrGenerate(pem, random);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pem)));
        TokenSigningKey second = TokenSigningKey.loadOrGenerate(pem, random);
        assertEquals(first.keyId(), second.keyId());
        assertEquals(JWSAlgorithm.ES256, second.algorithm());
        String token = service(first).issue("user:a", Optional.empty(), List.of()).token();
        assertInstanceOf(TokenService.Verification.Valid.class, service(second).verify(token), "tokens survive a restart");
        assertNotEquals(first.keyId(), TokenSigningKey.generate(random).keyId());
    }

    @Test
    void load_configuredKeyMissing_clearError() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> TokenSigningKey.load(dir.resolve("nope.pem")));
        assertTrue(e.getMessage().contains("nope.pem"));
    }

    @Test
    void load_opensslKeys_signAndVerify() throws Exception {
        ExternalTool.require("openssl", "openssl");
        record Case(String name, JWSAlgorithm alg, String[] command) {
        }
        List<Case> cases = List.of(
                new Case("ec-pkcs8.pem", JWSAlgorithm.ES256,
                        new String[]{"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"}),
                new Case("ec-sec1.pem", JWSAlgorithm.ES256, new String[]{"openssl", "ecparam", "-name", "prime256v1", "-genkey"}),
                new Case("ec-p384.pem", JWSAlgorithm.ES384,
                        new String[]{"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"}),
                new Case("rsa-2048.pem", JWSAlgorithm.RS256,
                        new String[]{"openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"}));
        for (Case c : cases) {
            ExternalTool.Result r = ExternalTool.run(c.command());
            assertEquals(0, r.exitCode(), r.out());
            Path pem = dir.resolve(c.name());
            Files.writeString(pem, r.out());
            TokenSigningKey key = TokenSigningKey.load(pem);
            assertEquals(c.alg(), key.algorithm(), c.name());
            Scope s = Scope.repository(RepositoryName.parse("a/b"), Action.PULL);
            String token = service(key).issue("user:a", Optional.empty(), List.of(s)).token();
            TokenService.Verification.Valid v = assertInstanceOf(TokenService.Verification.Valid.class, service(key).verify(token), c.name());
            assertEquals(List.of(s), v.access());
        }
    }

    @Test
    void load_weakOrPublicKeys_refused() throws Exception {
        ExternalTool.require("openssl", "openssl");
        ExternalTool.Result rsa = ExternalTool.run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024");
        assertThrows(IllegalArgumentException.class, () -> TokenSigningKey.fromPem(rsa.out()));
        Path ec = dir.resolve("ec.pem");
        Files.writeString(ec, ExternalTool.run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256").out());
        ExternalTool.Result pub = ExternalTool.run("openssl", "pkey", "-in", ec.toString(), "-pubout");
        assertThrows(IllegalArgumentException.class, () -> TokenSigningKey.fromPem(pub.out()));
        assertThrows(IllegalArgumentException.class, () -> TokenSigningKey.fromPem("not a pem"));
    }

    @Test
    void issue_lifetimeAndClaims_asConfigured() {
        TokenService service = service(TokenSigningKey.generate(random));
        TokenService.Issued issued = service.issue("robot:ci", Optional.of("abcdefghijklmnop"), List.of(Scope.catalog()));
        assertEquals(Duration.ofHours(1), issued.expiresIn());
        TokenService.Verification.Valid v = assertInstanceOf(TokenService.Verification.Valid.class, service.verify(issued.token()));
        assertEquals("robot:ci", v.subject());
        assertEquals(Optional.of("abcdefghijklmnop"), v.tokenId());
        assertEquals(clock.instant().plus(Duration.ofHours(1)), v.expiresAt());
        clock.advance(Duration.ofHours(1).plus(TokenService.CLOCK_SKEW).plusSeconds(1));
        TokenService.Verification.Invalid expired = assertInstanceOf(TokenService.Verification.Invalid.class, service.verify(issued.token()));
        assertTrue(expired.expired());
    }

    private TokenService service(TokenSigningKey key) {
        return new TokenService(key, "akua-registry", "akua-registry", Duration.ofHours(1), clock, random);
    }
}
