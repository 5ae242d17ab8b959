package dev.akua.registry.publisher;

import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.publisher.archive.ArchiveLimits;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackageValidatorTest {
    static final String AKUA_TOML = """
            [package]
            name = "hello"
            version = "0.3.0"
            edition = "akua.dev/v1alpha1"

            [dependencies]
            webapp = { oci = "oci://ghcr.io/acme/charts/webapp", version = "1.2.3" }
            lib = { git = "https://github.com/acme/lib", tag = "v1.0.0" }
            local = { path = "./vendor/local" }
            temporal = { repo = "https://go.temporal.io/helm-charts", chart = "temporal", version = "0.62.0" }
            """;
    private static final RepositoryName REPO = RepositoryName.parse("acme/packages/hello");
    private final PackageValidator validator = new PackageValidator(new ArchiveLimits(1 << 20, 4 << 20, 1 << 20, 100), 64 * 1024);

    private PackageMetadata validate(byte[] tgz, Tag tag, PackageRules rules) throws Exception {
        return validator.validate(new ByteArrayInputStream(tgz), REPO, tag, rules);
    }

    private String refusal(byte[] tgz, Tag tag, PackageRules rules) {
        return assertThrows(PackageRefusal.class, () -> validate(tgz, tag, rules)).getMessage();
    }

    static Tars pkg(String toml) {
        return Tars.tar().file("akua.toml", toml).file("package.k", "resources = []\n").file(".akua/vendor/webapp/Chart.yaml", "name: webapp\n");
    }

    @Test
    void validate_goodPackage_metadataWithSortedDependencies() throws Exception {
        PackageMetadata m = validate(pkg(AKUA_TOML).tgz(), Tag.parse("0.3.0"), new PackageRules(true, true));
        assertEquals("hello", m.name());
        assertEquals("0.3.0", m.version());
        assertEquals("akua.dev/v1alpha1", m.edition());
        assertEquals(List.of("lib", "local", "temporal", "webapp"), m.dependencies().stream().map(PackageMetadata.Dependency::name).toList());
        assertEquals(new PackageMetadata.Dependency("webapp", "oci", "oci://ghcr.io/acme/charts/webapp", "1.2.3", null), m.dependencies().get(3));
        assertEquals("temporal", m.dependencies().get(2).chart());
    }

    @Test
    void validate_noAkuaTomlAtRoot_refused() {
        assertEquals("akua package rejected: there is no akua.toml at the root of the package archive",
                refusal(Tars.tar().file("pkg/akua.toml", AKUA_TOML).tgz(), null, PackageRules.none()));
    }

    @Test
    void validate_hostileEntries_refusedWithTheEntry() {
        assertEquals("akua package rejected: entry '../../etc/cron.d/x' refers to a parent directory ('..')",
                refusal(pkg(AKUA_TOML).file("../../etc/cron.d/x", "x").tgz(), null, PackageRules.none()));
        assertEquals("akua package rejected: entry 'keys' is a symbolic link; only regular files and directories are accepted",
                refusal(pkg(AKUA_TOML).special("keys", TarConstants.LF_SYMLINK, "/root/.ssh").tgz(), null, PackageRules.none()));
        assertTrue(refusal(pkg(AKUA_TOML).special("dev/sda", TarConstants.LF_BLK, null).tgz(), null, PackageRules.none()).contains("is a device"));
        assertTrue(refusal(pkg(AKUA_TOML).special("h", TarConstants.LF_LINK, "akua.toml").tgz(), null, PackageRules.none()).contains("hard link"));
    }

    @Test
    void validate_gzipBomb_refusedAsTooLarge() {
        PackageRefusal e = assertThrows(PackageRefusal.class, () -> validate(Tars.longNameBomb(64L << 20), null, PackageRules.none()));
        assertTrue(e.tooLarge());
        assertEquals("akua package rejected: the archive expands to more than 4194304 bytes", e.getMessage());
    }

    @Test
    void validate_invalidAkuaToml_refusedNamingTheField() {
        assertTrue(refusal(pkg("[package\nname=").tgz(), null, PackageRules.none()).startsWith("akua package rejected: akua.toml is not valid TOML"));
        assertEquals("akua package rejected: [package] has no 'edition'",
                refusal(pkg("[package]\nname = \"hello\"\nversion = \"1\"\n").tgz(), null, PackageRules.none()));
        assertEquals("akua package rejected: [package].edition must start with 'akua.dev/', not 'v1'",
                refusal(pkg("[package]\nname = \"hello\"\nversion = \"1\"\nedition = \"v1\"\n").tgz(), null, PackageRules.none()));
        assertEquals("akua package rejected: [package].name '-bad' must be ASCII letters, digits, '_' or '-', not starting with '-'",
                refusal(pkg("[package]\nname = \"-bad\"\nversion = \"1\"\nedition = \"akua.dev/v1\"\n").tgz(), null, PackageRules.none()));
        assertEquals("akua package rejected: [dependencies].x: an oci dependency needs a version",
                refusal(pkg("[package]\nname = \"a\"\nversion = \"1\"\nedition = \"akua.dev/v1\"\n[dependencies]\nx = { oci = \"oci://h/r\" }\n").tgz(),
                        null, PackageRules.none()));
        assertEquals("akua package rejected: [dependencies].x: exactly one of oci, git, path or repo must be set, found 2",
                refusal(pkg("[package]\nname = \"a\"\nversion = \"1\"\nedition = \"akua.dev/v1\"\n[dependencies]\nx = { oci = \"oci://h/r\", path = \"p\", version = \"1\" }\n").tgz(),
                        null, PackageRules.none()));
    }

    @Test
    void validate_nameOrVersionInconsistent_refusedWhenThePolicyAsks() throws Exception {
        byte[] tgz = pkg(AKUA_TOML.replace("name = \"hello\"", "name = \"other\"")).tgz();
        assertEquals("akua package rejected: akua.toml names the package 'other' but it is pushed to repository acme/packages/hello, "
                + "whose last component is 'hello'", refusal(tgz, Tag.parse("0.3.0"), new PackageRules(true, false)));
        validate(tgz, Tag.parse("0.3.0"), PackageRules.none());
        assertEquals("akua package rejected: akua.toml says version '0.3.0' but it is pushed to tag '0.4.0'",
                refusal(pkg(AKUA_TOML).tgz(), Tag.parse("0.4.0"), new PackageRules(false, true)));
        validate(pkg(AKUA_TOML).tgz(), null, new PackageRules(true, true)); // by digest: no tag to compare
    }

    @Test
    void validate_oversizedAkuaToml_refused() {
        String big = AKUA_TOML + "#" + "x".repeat(70_000) + "\n";
        PackageRefusal e = assertThrows(PackageRefusal.class, () -> validate(pkg(big).tgz(), null, PackageRules.none()));
        assertTrue(e.tooLarge());
        assertTrue(e.getMessage().contains("akua.toml has"), e.getMessage());
    }
}
