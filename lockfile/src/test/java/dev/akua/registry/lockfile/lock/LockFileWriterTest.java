package dev.akua.registry.lockfile.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.akua.registry.lockfile.error.LockException;

class LockFileWriterTest {
    private static final String D1 = "sha256:" + "a".repeat(64);
    private static final String D2 = "sha256:" + "b".repeat(64);
    private final LockFileWriter writer = new LockFileWriter();
    private final LockFileParser parser = new LockFileParser(new TomlTrees());

    @Test
    void write_emptyLock_writesEmptyPackageArrayLikeAkua() {
        assertEquals(LockFileWriter.HEADER + "version = 1\npackage = []\n", writer.write(LockFile.empty()));
    }

    @Test
    void write_allFields_akuaFieldOrderArraysAndSubTable() {
        LockedPackage full = new LockedPackage("app", "1.0.0", "helm+https://charts.example.test/stable#app", D1,
                "cosign:key:abc", List.of("common@2.0.0", "redis@17.0.0"), "sha256:" + "c".repeat(64), "../fork", true,
                "sha256:" + "d".repeat(64), "conv@1", Map.of());
        LockedPackage single = LockedPackage.of("zeta", "v1", "git+https://git.example.test/z@v1", "git:" + "1".repeat(40))
                .withDependencies(List.of("app@1.0.0"));

        String text = writer.write(LockFile.of(List.of(single, full)));

        assertEquals(LockFileWriter.HEADER + """
                version = 1

                [[package]]
                name = "app"
                version = "1.0.0"
                source = "helm+https://charts.example.test/stable#app"
                digest = "%s"
                signature = "cosign:key:abc"
                dependencies = [
                    "common@2.0.0",
                    "redis@17.0.0",
                ]
                attestation = "sha256:%s"
                yanked = true
                kyverno_source_digest = "sha256:%s"
                converter_version = "conv@1"

                [package.replaced]
                path = "../fork"

                [[package]]
                name = "zeta"
                version = "v1"
                source = "git+https://git.example.test/z@v1"
                digest = "git:%s"
                dependencies = ["app@1.0.0"]
                """.formatted(D1, "c".repeat(64), "d".repeat(64), "1".repeat(40)), text);
    }

    @Test
    void write_entries_sortedByNameThenVersionBytewise() {
        LockFile lock = LockFile.of(List.of(
                LockedPackage.of("b", "1.0.0", "oci://h/b", D1),
                LockedPackage.of("a", "2.0.0", "oci://h/a", D1),
                LockedPackage.of("a", "10.0.0", "oci://h/a", D2),
                LockedPackage.of("B", "1.0.0", "oci://h/B", D1)));

        List<String> order = parseNames(writer.write(lock));

        assertEquals(List.of("B@1.0.0", "a@10.0.0", "a@2.0.0", "b@1.0.0"), order);
    }

    @Test
    void write_stringsNeedingQuotes_useTomlWritersEncodings() {
        assertEquals("\"plain\"", TomlDocumentWriter.encodeString("plain"));
        assertEquals("'say \"hi\"'", TomlDocumentWriter.encodeString("say \"hi\""));
        assertEquals("'C:\\path'", TomlDocumentWriter.encodeString("C:\\path"));
        assertEquals("\"\"\"\nline1\nline2\"\"\"", TomlDocumentWriter.encodeString("line1\nline2"));
        assertEquals("\"tab\\there\"", TomlDocumentWriter.encodeString("tab\there"));
        assertEquals("\"bell\\u0007\"", TomlDocumentWriter.encodeString("bell\u0007"));
        assertEquals("\"\"\"it's \"x\"\"\"\"", TomlDocumentWriter.encodeString("it's \"x\""));
        assertEquals("\"dotted.key\"", TomlDocumentWriter.encodeKey("dotted.key"));
        assertEquals("bare-key_1", TomlDocumentWriter.encodeKey("bare-key_1"));
    }

    @Test
    void parseThenWrite_unknownFields_keptAfterKnownOnes() throws LockException {
        String text = LockFileWriter.HEADER + """
                version = 1
                generator = "future-akua"

                [[package]]
                name = "a"
                version = "1"
                source = "oci://h/a"
                digest = "%s"
                provenance = { builder = "ci", level = 3 }
                tags = ["x", "y"]
                """.formatted(D1);

        LockFile lock = parser.parse(text);
        String written = writer.write(lock);

        assertEquals(Map.of("builder", "ci", "level", 3L), lock.packages().getFirst().extra().get("provenance"));
        assertEquals(LockFileWriter.HEADER + """
                version = 1
                generator = "future-akua"

                [[package]]
                name = "a"
                version = "1"
                source = "oci://h/a"
                digest = "%s"
                tags = [
                    "x",
                    "y",
                ]

                [package.provenance]
                builder = "ci"
                level = 3
                """.formatted(D1), written);
        assertEquals(written, writer.write(parser.parse(written)));
    }

    @Test
    void parse_akuaRules_enforced() {
        assertReason("version = 2\n", LockException.Reason.LOCK_INVALID);
        assertReason("version = 1\n[[package]]\nname = \"b\"\nversion = \"1\"\nsource = \"s\"\ndigest = \"" + D1
                + "\"\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = \"s\"\ndigest = \"" + D1 + "\"\n", LockException.Reason.LOCK_INVALID);
        assertReason("version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = \"s\"\ndigest = \"md5:x\"\n", LockException.Reason.LOCK_INVALID);
        assertReason("version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = \"s\"\ndigest = \"" + D1
                + "\"\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = \"s\"\ndigest = \"" + D1 + "\"\n", LockException.Reason.LOCK_INVALID);
        assertReason("version = 1\nversion = 1\n", LockException.Reason.LOCK_INVALID);
        assertReason("version = 1\n[[package]]\nname = \"a\"\n", LockException.Reason.LOCK_INVALID);
    }

    private void assertReason(String text, LockException.Reason reason) {
        LockException e = assertThrows(LockException.class, () -> parser.parse(text));
        assertEquals(reason, e.reason());
    }

    private List<String> parseNames(String text) {
        try {
            return parser.parse(text).packages().stream().map(LockedPackage::coordinate).toList();
        } catch (LockException e) {
            throw new AssertionError(e);
        }
    }
}
