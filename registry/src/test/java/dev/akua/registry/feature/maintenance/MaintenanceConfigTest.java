package dev.akua.registry.feature.maintenance;

import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.storage.gc.UntaggedPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaintenanceConfigTest {
    @TempDir
    Path dir;

    private MaintenanceConfig load(String yaml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("akua-registry.yaml");
        Files.writeString(file, yaml);
        RegistryConfig config = new ConfigLoader().load(file, env);
        return MaintenanceConfig.from(config);
    }

    @Test
    void from_defaults_everythingOnCommandOnly() throws Exception {
        MaintenanceConfig c = load("", Map.of());
        assertTrue(c.gcInterval().isZero() && c.retentionInterval().isZero() && c.scrubInterval().isZero() && c.purgeInterval().isZero());
        assertEquals(Duration.ofHours(1), c.gc().grace());
        assertEquals(UntaggedPolicy.KEEP, c.gc().untagged());
        assertEquals(Duration.ofDays(1), c.uploadMaxAge());
        assertTrue(c.rules().isEmpty());
    }

    @Test
    void from_retentionSection_parsesRulesAndProtection() throws Exception {
        MaintenanceConfig c = load("""
                gc:
                  untagged: delete
                  intervalSeconds: 600
                retention:
                  intervalSeconds: 86400
                  rules:
                    - repositories: "team/**"
                      keepLast: 10
                      keepNewerThan: 30d
                      keepMatching: "latest|stable"
                  protect:
                    - repositories: "**"
                      tags: semver
                """, Map.of());
        assertEquals(UntaggedPolicy.DELETE, c.gc().untagged());
        assertEquals(Duration.ofMinutes(10), c.gcInterval());
        assertEquals(1, c.rules().size());
        assertEquals(OptionalInt.of(10), c.rules().getFirst().keepLast());
        assertEquals(Duration.ofDays(30), c.rules().getFirst().keepNewerThan().orElseThrow());
        assertTrue(c.rules().getFirst().keepMatching().orElseThrow().matcher("stable").matches());
        RepositoryName repo = RepositoryName.parse("any/repo");
        assertTrue(c.protection().isProtected(repo, Tag.parse("v1.2.3")));
        assertTrue(c.protection().isProtected(repo, Tag.parse("1.0.0-rc.1")));
        assertFalse(c.protection().isProtected(repo, Tag.parse("latest")));
    }

    @Test
    void from_environment_overridesScalars() throws Exception {
        MaintenanceConfig c = load("", Map.of("AKUA_REGISTRY_GC_GRACESECONDS", "5", "AKUA_REGISTRY_PURGE_INTERVALSECONDS", "60"));
        assertEquals(Duration.ofSeconds(5), c.gc().grace());
        assertEquals(Duration.ofMinutes(1), c.purgeInterval());
    }

    @Test
    void from_badValues_failAtStartWithTheKey() {
        assertTrue(assertThrows(ConfigException.class, () -> load("gc:\n  untagged: sometimes\n", Map.of()))
                .getMessage().contains("gc.untagged"));
        assertTrue(assertThrows(ConfigException.class, () -> load("gc:\n  graceSeconds: -1\n", Map.of()))
                .getMessage().contains("gc.graceSeconds"));
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                retention:
                  rules:
                    - repositories: "**"
                      keepLatest: 3
                """, Map.of())).getMessage().contains("unknown field 'keepLatest'"));
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                retention:
                  rules:
                    - repositories: "**"
                """, Map.of())).getMessage().contains("keeps nothing"));
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                retention:
                  rules:
                    - repositories: "**"
                      keepNewerThan: a while
                """, Map.of())).getMessage().contains("keepNewerThan"));
        assertTrue(assertThrows(ConfigException.class, () -> load("""
                retention:
                  protect:
                    - repositories: "**"
                      tags: "("
                """, Map.of())).getMessage().contains("invalid regular expression"));
    }

    @Test
    void duration_acceptsUnits() {
        assertEquals(Duration.ofSeconds(90), MaintenanceConfig.duration("90", "x"));
        assertEquals(Duration.ofMinutes(30), MaintenanceConfig.duration("30m", "x"));
        assertEquals(Duration.ofHours(12), MaintenanceConfig.duration("12h", "x"));
        assertEquals(Duration.ofDays(14), MaintenanceConfig.duration("2w", "x"));
    }
}
