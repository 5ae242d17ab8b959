package dev.akua.registry.remote.oci;

import java.io.IOException;

/** Content whose bytes do not hash to the digest it was asked for (or whose size differs from the expected one). */
public final class DigestMismatchException extends IOException {
    private final String expected;
    private final String actual;

    DigestMismatchException(String what, String expected, String actual) {
        super(what + " " + expected + " arrived as " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
