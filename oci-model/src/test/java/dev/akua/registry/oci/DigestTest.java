package dev.akua.registry.oci;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestTest {

    @Test
    void parse_sha256_roundTrips() {
        String text = "sha256:175d00b070177b5643ac37c5dda28069201b5975c9fb8d8b270f5c681a87f107";
        Digest d = Digest.parse(text);
        assertEquals(DigestAlgorithm.SHA256, d.algorithm());
        assertEquals(text, d.toString());
        assertEquals("sha256-175d00b070177b5643ac37c5dda28069201b5975c9fb8d8b270f5c681a87f107", d.tagForm());
    }

    @Test
    void of_akuaTestLayer_matchesWireContractVector() {
        // shared/design/akua-wire-contract.md §2.1 test vector
        byte[] layer = "fake tarball bytes for test only".getBytes(StandardCharsets.US_ASCII);
        assertEquals("sha256:175d00b070177b5643ac37c5dda28069201b5975c9fb8d8b270f5c681a87f107",
                Digest.sha256(layer).toString());
    }

    @Test
    void of_sha512_hasExpectedLength() {
        Digest d = Digest.of(DigestAlgorithm.SHA512, new byte[0]);
        assertEquals(128, d.hex().length());
        assertEquals(d, Digest.parse(d.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "sha256:abc",                                                                 // too short
            "sha256:175D00B070177B5643AC37C5DDA28069201B5975C9FB8D8B270F5C681A87F107",    // upper case
            "sha256:175d00b070177b5643ac37c5dda28069201b5975c9fb8d8b270f5c681a87f10g",    // not hex
            "md5:d41d8cd98f00b204e9800998ecf8427e",                                       // unsupported
            "sha256",                                                                     // no colon
            ":abcd",
            "sha256:baddigeststring",
            ""
    })
    void parse_invalid_isDigestInvalid(String text) {
        OciException e = assertThrows(OciException.class, () -> Digest.parse(text));
        assertEquals(ErrorCode.DIGEST_INVALID, e.code());
    }

    @Test
    void looksLikeDigest_colonDecides() {
        assertTrue(Digest.looksLikeDigest("sha256:x"));
        assertFalse(Digest.looksLikeDigest("latest"));
    }
}
