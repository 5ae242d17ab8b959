package dev.akua.registry.storage.s3;

import dev.akua.registry.storage.driver.FileWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the S3 driver does beyond the shared contract: how it lays out objects, copies, redirects and cleans up. */
class S3DriverBehaviourTest {
    static final int MIB = 1024 * 1024;
    static S3TestServer server;
    static String bucket;
    static S3Client raw;
    static final AtomicInteger PREFIXES = new AtomicInteger();
    String prefix;
    S3Driver driver;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.shared();
        bucket = server.createBucket();
        raw = S3Client.builder().endpointOverride(server.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @BeforeEach
    void newDriver() {
        prefix = "behaviour-" + PREFIXES.incrementAndGet() + "/";
        driver = S3Driver.create(server.settings(bucket).prefix(prefix).partSize(5 * MIB).build(), 7L * MIB);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private List<S3Object> objects() {
        return raw.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents();
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void writer_eachCommit_isOneSegmentAndLargeOnesAreMultipart() throws Exception {
        byte[] big = random(12 * MIB + 5, 1); // 3 parts of the 5 MiB part size
        try (FileWriter w = driver.writer("/up/data", false)) {
            w.write(big, 0, big.length);
            w.commit();
            w.write(new byte[]{1, 2, 3}, 0, 3);
            w.commit();
        }
        List<S3Object> objects = objects();
        assertEquals(2, objects.size(), objects::toString);
        assertTrue(objects.get(0).key().startsWith(prefix + "up/data!seg/0000000000-"), objects.get(0).key());
        assertTrue(objects.get(1).key().startsWith(prefix + "up/data!seg/0000000001-"), objects.get(1).key());
        assertEquals(big.length, objects.get(0).size());
        assertEquals(big.length + 3, driver.stat("/up/data").size());
        try (InputStream in = driver.reader("/up/data", big.length - 2)) {
            assertArrayEquals(new byte[]{big[big.length - 2], big[big.length - 1], 1, 2, 3}, in.readAllBytes());
        }
        assertEquals(0, raw.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)).uploads().size(),
                "no multipart upload is left open");
    }

    @Test
    void move_appendedObject_becomesOneWholeObjectByServerSideCopy() throws Exception {
        // segments: 6 MiB (copied, split in pieces of at most 7 MiB? no: one piece), 1 MiB (merged),
        // 9 MiB (topped up then copied in two pieces), 10 bytes (last)
        byte[][] chunks = {random(6 * MIB, 2), random(MIB, 3), random(9 * MIB, 4), random(10, 5)};
        for (byte[] chunk : chunks) {
            try (FileWriter w = driver.writer("/up/data", true)) {
                w.write(chunk, 0, chunk.length);
                w.commit();
            }
        }
        driver.move("/up/data", "/blobs/x/data");
        List<S3Object> objects = objects();
        assertEquals(List.of(prefix + "blobs/x/data"), objects.stream().map(S3Object::key).toList());
        byte[] expected = concat(chunks);
        assertArrayEquals(expected, driver.getContent("/blobs/x/data"));
    }

    @Test
    void move_wholeObjectAboveCopyLimit_copiedInPieces() throws Exception {
        byte[] big = random(15 * MIB, 6);
        driver.putContent("/big", big);
        driver.move("/big", "/moved");
        assertFalse(driver.exists("/big"));
        assertArrayEquals(big, driver.getContent("/moved"));
    }

    @Test
    void putContent_overAppendedObject_wholeObjectShadowsSegments() throws Exception {
        try (FileWriter w = driver.writer("/x", false)) {
            w.write(new byte[]{1}, 0, 1);
            w.commit();
        }
        driver.putContent("/x", new byte[]{9, 9});
        assertArrayEquals(new byte[]{9, 9}, driver.getContent("/x"));
        try (FileWriter w = driver.writer("/x", true)) {
            assertEquals(2, w.size());
            w.write(new byte[]{7}, 0, 1);
            w.commit();
        }
        assertArrayEquals(new byte[]{9, 9, 7}, driver.getContent("/x"));
    }

    @Test
    void closeWithoutCommit_storesThePendingSegment() throws Exception {
        byte[] big = random(6 * MIB, 7);
        try (FileWriter w = driver.writer("/half", false)) {
            w.write(big, 0, big.length); // one part flushed to an open multipart upload
        }
        assertEquals(0, raw.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)).uploads().size());
        assertArrayEquals(big, driver.getContent("/half"));
    }

    @Test
    void cancel_discardsPendingAndCommittedBytes() throws Exception {
        FileWriter w = driver.writer("/cancelled", false);
        w.write(new byte[]{1}, 0, 1);
        w.commit();
        byte[] big = random(6 * MIB, 8);
        w.write(big, 0, big.length);
        w.cancel();
        assertEquals(0, raw.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)).uploads().size());
        assertFalse(driver.exists("/cancelled"));
    }

    @Test
    void discardAbandonedWrites_abortsOnlyOldUploads() throws Exception {
        String key = prefix + "crashed/data!seg/0000000000-deadbeef";
        raw.createMultipartUpload(b -> b.bucket(bucket).key(key));
        assertEquals(0, driver.discardAbandonedWrites(Instant.now().minus(Duration.ofHours(1))), "a young upload stays");
        assertEquals(1, driver.discardAbandonedWrites(Instant.now().plus(Duration.ofMinutes(1))));
        assertEquals(0, raw.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)).uploads().size());
    }

    @Test
    void redirectFor_presignsAUrlThatServesTheObject() throws Exception {
        try (S3Driver redirecting = S3Driver.create(server.settings(bucket).prefix(prefix)
                .redirect(true, Duration.ofMinutes(2)).build())) {
            byte[] content = random(1000, 8);
            redirecting.putContent("/blobs/r/data", content);
            URI url = redirecting.redirectFor("/blobs/r/data").orElseThrow();
            assertTrue(url.toString().contains("X-Amz-Signature="), url.toString());
            HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
            assertEquals(200, c.getResponseCode());
            try (InputStream in = c.getInputStream()) {
                assertArrayEquals(content, in.readAllBytes());
            }
            URI tampered = URI.create(url.toString().replace("blobs/r/data", "blobs/s/data"));
            HttpURLConnection t = (HttpURLConnection) tampered.toURL().openConnection();
            assertEquals(403, t.getResponseCode(), "a signature covers exactly one object");
        }
        assertTrue(driver.redirectFor("/blobs/r/data").isEmpty(), "redirects are off unless configured");
    }

    @Test
    void minimumChunkBytes_isTheS3PartMinimum() {
        assertEquals(5L * MIB, driver.minimumChunkBytes());
    }

    @Test
    void foreignObjects_outsideThePathGrammar_areIgnored() throws Exception {
        raw.putObject(b -> b.bucket(bucket).key(prefix + "dir/not a path"), software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[1]));
        driver.putContent("/dir/ok", new byte[1]);
        assertEquals(List.of("/dir/ok"), driver.list("/dir"));
        List<String> walked = new java.util.ArrayList<>();
        driver.walk("/dir", i -> walked.add(i.path()));
        assertEquals(List.of("/dir/ok"), walked);
    }

    private static byte[] concat(byte[][] parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
