package dev.akua.registry.publisher;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.RepositoryName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishPolicyTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static List<PublishPolicy> read(String json) throws Exception {
        return PublishPolicy.readAll(JSON.readTree(json), "publish.policies");
    }

    @Test
    void readAll_policies_firstMatchWinsWithDefaults() throws Exception {
        List<PublishPolicy> p = read("""
                [{"repositories": ["acme/charts/**"], "signingKey": "release"},
                 {"repositories": ["acme/**"], "akuaPackages": true, "packageNameMatchesRepository": true}]""");
        PublishPolicy charts = PublishPolicy.first(p, RepositoryName.parse("acme/charts/web")).orElseThrow();
        assertEquals("release", charts.signingKey());
        assertTrue(charts.sign());
        assertTrue(charts.provenance());
        assertFalse(charts.akuaPackages());
        PublishPolicy pkgs = PublishPolicy.first(p, RepositoryName.parse("acme/hello")).orElseThrow();
        assertTrue(pkgs.akuaPackages());
        assertEquals(new PackageRules(true, false), pkgs.packageRules());
        assertTrue(PublishPolicy.first(p, RepositoryName.parse("other/x")).isEmpty());
    }

    @Test
    void readAll_mistakes_refusedWithThePath() {
        assertEquals("publish.policies[0].sgin: unknown field (known: akuaPackages, packageNameMatchesRepository, "
                        + "packageVersionMatchesTag, provenance, repositories, sign, signingKey)",
                assertThrows(IllegalArgumentException.class, () -> read("[{\"repositories\":[\"a\"],\"sgin\":true}]")).getMessage());
        assertEquals("publish.policies[0]: sign and provenance need a signingKey",
                assertThrows(IllegalArgumentException.class, () -> read("[{\"repositories\":[\"a\"],\"sign\":true}]")).getMessage());
        assertEquals("publish.policies[0].repositories must be a non-empty list of repository patterns",
                assertThrows(IllegalArgumentException.class, () -> read("[{\"akuaPackages\":true}]")).getMessage());
        assertEquals("publish.policies[0].akuaPackages must be true or false",
                assertThrows(IllegalArgumentException.class, () -> read("[{\"repositories\":[\"a\"],\"akuaPackages\":\"yes\"}]")).getMessage());
    }
}
