package dev.akua.registry.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.signing.bundle.TestSigstore;
import dev.akua.registry.signing.key.KeyKind;
import dev.akua.registry.signing.key.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SigningConfigTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text.replace('\'', '"'));
    }

    @Test
    void read_fullSection_buildsPoliciesLimitsAndKeyStore() throws Exception {
        SigningKey key = SigningKey.generate(KeyKind.ECDSA_P256, new SecureRandom());
        Files.writeString(dir.resolve("release.pub"), key.publicKey().pem());
        Files.write(dir.resolve("trusted_root.json"), new TestSigstore().trustedRoot());
        JsonNode node = json("{'trustedRoot':'trusted_root.json','limits':{'maxSignatureLayers':50,'cacheTtlSeconds':60},"
                + "'policies':[{'name':'release','repositories':['acme/**'],'keys':[{'name':'release','publicKeyFile':'release.pub'}],"
                + "'keyless':[{'issuer':'https://issuer.test','subjectRegex':'https://github\\\\.com/acme/.*'}],"
                + "'enforce':'pull','requireAttestations':['https://slsa.dev/provenance/v1']},"
                + "{'name':'rest','repositories':['**'],'keys':[{'name':'inline','publicKey':" + mapper.writeValueAsString(key.publicKey().pem()).replace('"', '\'') + "}]}],"
                + "'keys':{'directory':'keys','passphraseEnv':'MY_PASS'}}");

        SigningConfig config = SigningConfig.read(node, dir);

        assertNotNull(config.policies().trustedRoot());
        assertEquals(50, config.limits().maxSignatureLayers());
        assertEquals(60, config.limits().cacheTtl().toSeconds());
        TrustPolicy release = config.policies().forRepository(RepositoryName.parse("acme/app")).orElseThrow();
        assertEquals("release", release.name());
        assertEquals(Enforcement.PULL, release.enforcement());
        assertEquals(key.publicKey().fingerprint(), release.keys().get(0).fingerprint());
        assertEquals("https://issuer.test", release.identities().get(0).issuer());
        assertEquals(List.of("https://slsa.dev/provenance/v1"), release.requiredAttestations());
        assertEquals("rest", config.policies().forRepository(RepositoryName.parse("other/app")).orElseThrow().name());
        assertEquals(Enforcement.NONE, config.policies().forRepository(RepositoryName.parse("other/app")).orElseThrow().enforcement());
        assertEquals(dir.resolve("keys"), config.keyStore().directory());
        assertEquals("MY_PASS", config.keyStore().passphraseEnv());
    }

    @Test
    void read_absentSection_isDefaults() {
        SigningConfig config = SigningConfig.read(null, dir);

        assertTrue(config.policies().policies().isEmpty());
        assertNull(config.keyStore());
        assertEquals(100, config.limits().maxSignatureLayers());
    }

    @Test
    void read_misspeltField_isAnErrorNamingIt() throws Exception {
        JsonNode node = json("{'policies':[{'repositories':['**'],'enfroce':'pull','keys':[]}]}");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SigningConfig.read(node, dir));

        assertTrue(e.getMessage().startsWith("signing.policies[0]: unknown field 'enfroce'"), e.getMessage());
    }

    @Test
    void read_badKeyOrMissingTrustedRoot_isAnErrorNamingThePath() throws Exception {
        JsonNode badKey = json("{'policies':[{'repositories':['**'],'keys':[{'name':'k','publicKey':'nope'}]}]}");
        JsonNode keylessWithoutRoot = json("{'policies':[{'repositories':['**'],'keyless':[{'issuer':'i','subject':'s'}]}]}");
        JsonNode badEnforce = json("{'policies':[{'repositories':['**'],'enforce':'push','keys':[]}]}");

        assertTrue(assertThrows(IllegalArgumentException.class, () -> SigningConfig.read(badKey, dir)).getMessage()
                .startsWith("signing.policies[0].keys[0]: "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SigningConfig.read(keylessWithoutRoot, dir)).getMessage()
                .contains("needs signing.trustedRoot"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SigningConfig.read(badEnforce, dir)).getMessage()
                .startsWith("signing.policies[0].enforce: "));
    }
}
