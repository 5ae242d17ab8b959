package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.signing.wire.BoundedRead;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Reads blobs through the port with a cap and checks them against their digest. */
final class ContentReader {
    private final SignatureContent content;

    ContentReader(SignatureContent content) {
        this.content = content;
    }

    /** The bytes of the manifest {@code digest} names, or empty. */
    Optional<byte[]> manifest(RepositoryName repository, Digest digest) throws IOException {
        return content.manifest(repository, digest);
    }

    /**
     * The blob's bytes, or a {@link Blob#problem()} saying why they are not usable: declared or actual
     * size over {@code cap}, missing, or not matching {@code digest}.
     */
    Blob read(RepositoryName repository, Digest digest, long declaredSize, int cap, String what) throws IOException {
        if (declaredSize > cap) {
            return Blob.problem(what + " is " + declaredSize + " bytes; more than " + cap + " are not read");
        }
        Optional<InputStream> opened = content.openBlob(repository, digest);
        if (opened.isEmpty()) {
            return Blob.problem(what + " blob " + digest + " is missing from the repository");
        }
        byte[] bytes;
        try (InputStream in = opened.get()) {
            bytes = BoundedRead.readAtMost(in, cap);
        }
        if (bytes == null) {
            return Blob.problem(what + " blob is larger than " + cap + " bytes (its descriptor said " + declaredSize + ")");
        }
        Digest actual = Digest.of(digest.algorithm(), bytes);
        if (!actual.equals(digest)) {
            return Blob.problem(what + " blob does not match its digest " + digest + " (content is " + actual + ")");
        }
        return new Blob(bytes, null);
    }

    record Blob(byte[] bytes, String problem) {
        static Blob problem(String why) {
            return new Blob(null, why);
        }

        boolean ok() {
            return problem == null;
        }
    }
}
