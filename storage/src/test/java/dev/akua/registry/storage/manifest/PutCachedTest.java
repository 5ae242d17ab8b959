package dev.akua.registry.storage.manifest;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.storage.RegistryStorage;
import dev.akua.registry.storage.StorageOptions;
import dev.akua.registry.storage.driver.InMemoryDriver;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ManifestStore#putCached}: a pull-through cache records manifests before their blobs are fetched. */
class PutCachedTest {
    private static final RepositoryName REPO = RepositoryName.parse("mirror/upstream/acme/app");
    private final RegistryStorage storage = new RegistryStorage(new InMemoryDriver(),
            new StorageOptions(4 * 1024 * 1024, Duration.ofSeconds(5), 1 << 20), new ManifestParser(),
            JsonMapper.builder().build(), Clock.systemUTC());

    private static byte[] manifest(String subjectField) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\"application/example\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"size\":2,\"digest\":\"sha256:"
                + "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\"},"
                + "\"layers\":[{\"mediaType\":\"application/octet-stream\",\"size\":5,\"digest\":\"sha256:" + "1".repeat(64) + "\"}]"
                + subjectField + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putCached_blobsMissing_recordedAndServedByteExact() {
        byte[] raw = manifest("");
        Digest digest = Digest.sha256(raw);

        PutResult result = storage.manifests().putCached(REPO, digest, raw, MediaTypes.OCI_MANIFEST);

        assertEquals(digest, result.digest());
        assertEquals(List.of(), result.tags());
        assertArrayEquals(raw, storage.manifests().get(REPO, digest).orElseThrow().bytes());
        assertTrue(storage.tags().list(REPO).isEmpty());
        // the normal push path still insists on the blobs
        OciException e = assertThrows(OciException.class,
                () -> storage.manifests().put(REPO, new Tag("v1"), raw, MediaTypes.OCI_MANIFEST, List.of()));
        assertEquals(ErrorCode.MANIFEST_BLOB_UNKNOWN, e.code());
    }

    @Test
    void putCached_bytesDoNotHashToDigest_refusedAndNothingRecorded() {
        byte[] raw = manifest("");
        Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));

        OciException e = assertThrows(OciException.class, () -> storage.manifests().putCached(REPO, other, raw, MediaTypes.OCI_MANIFEST));

        assertEquals(ErrorCode.DIGEST_INVALID, e.code());
        assertTrue(storage.manifests().revision(REPO, other).isEmpty());
    }

    @Test
    void putCached_withSubject_indexedAsReferrer() {
        Digest subject = Digest.sha256("subject".getBytes(StandardCharsets.UTF_8));
        byte[] raw = manifest(",\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"size\":7,\"digest\":\"" + subject + "\"}");

        storage.manifests().putCached(REPO, Digest.sha256(raw), raw, MediaTypes.OCI_MANIFEST);

        assertEquals(Digest.sha256(raw), storage.referrers().list(REPO, subject).getFirst().digest());
        assertEquals("application/example", storage.referrers().list(REPO, subject).getFirst().artifactType());
    }
}
