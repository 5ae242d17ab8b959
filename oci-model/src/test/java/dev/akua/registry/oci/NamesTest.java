package dev.akua.registry.oci;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesTest {

    static Stream<String> validNames() {
        return Stream.of("a", "acme/charts/app", "a0/b.c/d_e/f__g/h---i", "library/ubuntu", "x".repeat(255));
    }

    static Stream<String> validTags() {
        return Stream.of("latest", "1.2.3", "v1.2.3-rc.1", "_x", "sha256-" + "a".repeat(64) + ".sig", "A".repeat(128));
    }

    static Stream<String> invalidTags() {
        return Stream.of("", ".x", "-x", "a/b", "a+b", "A".repeat(129));
    }

    @ParameterizedTest
    @MethodSource("validNames")
    void repositoryName_valid(String name) {
        assertEquals(name, RepositoryName.parse(name).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "A", "a//b", "/a", "a/", "a/-b", "a/b-", "a___b", "a/_b", "a/b/../c", "a b",
            "a/_manifests", "a:b"})
    void repositoryName_invalid_isNameInvalid(String name) {
        OciException e = assertThrows(OciException.class, () -> RepositoryName.parse(name));
        assertEquals(ErrorCode.NAME_INVALID, e.code());
    }

    @Test
    void repositoryName_tooLong_isNameInvalid() {
        assertThrows(OciException.class, () -> RepositoryName.parse("x".repeat(256)));
    }

    @Test
    void repositoryName_isUnder_respectsComponentBoundary() {
        RepositoryName n = RepositoryName.parse("a/b/c");
        assertTrue(n.isUnder("a/b"));
        assertTrue(n.isUnder("a/b/c"));
        assertFalse(RepositoryName.parse("a/bc").isUnder("a/b"));
    }

    @ParameterizedTest
    @MethodSource("validTags")
    void tag_valid(String tag) {
        assertEquals(tag, Tag.parse(tag).value());
    }

    @ParameterizedTest
    @MethodSource("invalidTags")
    void tag_invalid_isManifestInvalid(String tag) {
        OciException e = assertThrows(OciException.class, () -> Tag.parse(tag));
        assertEquals(ErrorCode.MANIFEST_INVALID, e.code());
    }

    @Test
    void reference_parse_distinguishesTagAndDigest() {
        assertInstanceOf(Tag.class, Reference.parse("v1"));
        assertInstanceOf(Digest.class, Reference.parse("sha256:" + "0".repeat(64)));
        assertEquals(ErrorCode.DIGEST_INVALID,
                assertThrows(OciException.class, () -> Reference.parse("sha256:nothex")).code());
    }
}
