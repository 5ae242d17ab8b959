package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.feature.maintenance.Maintenance;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.storage.gc.GcReport;
import dev.akua.registry.storage.s3.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.akua.registry.conformance.Oci.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bounded soak: two replicas over one bucket, concurrent pushes, pulls and deletes while both run
 * the garbage collector every second with a short grace period (one of them at a time holds the
 * lease). The workload is built to hit the collector's races: every image shares a base layer,
 * clients skip uploads the registry says it has (HEAD 200), some layers are recycled between
 * images that get deleted (so they keep turning into garbage and back), referrers and cosign-style
 * sidecars hang off kept images. Done when: no push fails with MANIFEST_BLOB_UNKNOWN (no push
 * fails at all), and every artifact whose push succeeded and that the test did not delete is fully
 * pullable from both replicas afterwards.
 *
 * <p>Length: {@code -Dakua.soak.seconds} (default 40).
 */
class GcSoakTest {
    static final Duration GRACE = Duration.ofSeconds(4);
    static final int PUSHERS = 3;
    @TempDir
    Path dir;

    record Pushed(String repo, String tag, Digest manifest, List<Digest> blobs, Digest referrer, boolean ephemeral) {
    }

    @Test
    void concurrentPushPullDelete_whileGcRunsEverySecond_noPushLosesAndEverythingKeptIsPullable() throws Exception {
        int seconds = Integer.getInteger("akua.soak.seconds", 40);
        S3TestServer s3 = S3TestServer.shared();
        Map<String, String> env = new HashMap<>(s3.registryEnv(s3.createBucket()));
        env.put("AKUA_REGISTRY_GC_INTERVALSECONDS", "1");
        env.put("AKUA_REGISTRY_GC_GRACESECONDS", String.valueOf(GRACE.toSeconds()));
        env.put("AKUA_REGISTRY_GC_UNTAGGED", "delete");
        env.put("AKUA_REGISTRY_MAINTENANCE_LEASETTLSECONDS", "20");
        env.put("AKUA_REGISTRY_MAINTENANCE_LEASESETTLEMILLIS", "250");
        env.put("AKUA_REGISTRY_STORAGE_POINTERTTLSECONDS", "1");
        // count how often the trash protocol had to put something back (pushes racing the sweep)
        java.util.logging.Logger trashLog = java.util.logging.Logger.getLogger("dev.akua.registry.storage.trash.Trash");
        AtomicInteger restores = new AtomicInteger();
        java.util.logging.Handler counter = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getMessage() != null && r.getMessage().startsWith("restored ")) {
                    restores.incrementAndGet();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        trashLog.addHandler(counter);
        try (TestRegistry a = TestRegistry.start(dir.resolve("a"), env);
             TestRegistry b = TestRegistry.start(dir.resolve("b"), env)) {
            List<Http> replicas = List.of(new Http(a.base()), new Http(b.base()));
            List<Pushed> kept = new CopyOnWriteArrayList<>();
            LinkedBlockingQueue<Pushed> toDelete = new LinkedBlockingQueue<>();
            List<String> pushFailures = new CopyOnWriteArrayList<>();
            List<String> pullFailures = new CopyOnWriteArrayList<>();
            Map<Digest, Boolean> deletedOnlyBlobs = new ConcurrentHashMap<>();
            AtomicInteger pushes = new AtomicInteger();
            AtomicInteger deletes = new AtomicInteger();
            AtomicInteger pulls = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);

            ExecutorService pool = Executors.newFixedThreadPool(PUSHERS + 2);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < PUSHERS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    Random random = new Random(1000 + thread);
                    for (int i = 0; running.get(); i++) {
                        Pushed p = pushOne(replicas, random, thread, i, pushFailures, deletedOnlyBlobs);
                        pushes.incrementAndGet();
                        if (p != null) {
                            (p.ephemeral() ? toDelete : kept).add(p);
                        }
                    }
                    return null;
                }));
            }
            workers.add(pool.submit(() -> {
                Random random = new Random(7);
                while (running.get() || !toDelete.isEmpty()) {
                    Pushed p = toDelete.poll(200, TimeUnit.MILLISECONDS);
                    if (p == null) {
                        continue;
                    }
                    Http.Resp r = replicas.get(random.nextInt(2)).delete("/v2/" + p.repo() + "/manifests/" + p.manifest());
                    if (r.status() != 202) {
                        pushFailures.add("delete " + p.repo() + "@" + p.manifest() + ": " + r.status() + " " + r.text());
                    }
                    deletes.incrementAndGet();
                }
                return null;
            }));
            workers.add(pool.submit(() -> {
                Random random = new Random(9);
                while (running.get()) {
                    if (kept.isEmpty()) {
                        Thread.sleep(50);
                        continue;
                    }
                    Pushed p = kept.get(random.nextInt(kept.size()));
                    String problem = pullProblem(replicas.get(random.nextInt(2)), p);
                    if (problem != null) {
                        pullFailures.add(problem);
                    }
                    pulls.incrementAndGet();
                }
                return null;
            }));

            Thread.sleep(Duration.ofSeconds(seconds).toMillis());
            running.set(false);
            for (Future<?> f : workers) {
                f.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();

            // Let the collectors run a few more times (each run re-checks and heals), then check everything.
            Thread.sleep(GRACE.plusSeconds(3).toMillis());
            List<String> finalProblems = new ArrayList<>();
            for (Pushed p : kept) {
                for (Http h : replicas) {
                    String problem = pullProblem(h, p);
                    if (problem != null) {
                        finalProblems.add(problem);
                    }
                }
            }
            Maintenance maintenance = a.server().context().service(Maintenance.class).orElseThrow();
            GcReport dry = maintenance.collectGarbage(true);
            long collected = deletedOnlyBlobs.keySet().stream()
                    .filter(d -> a.server().storage().blobs().stat(d).isEmpty()).count();

            System.out.printf("gc soak: %d s, %d pushes (%d kept, %d deleted), %d pulls (%d failed while gc ran), "
                            + "%d blobs of deleted images, %d collected, %d restored from the gc trash; final dry run: %s%n",
                    seconds, pushes.get(), kept.size(), deletes.get(), pulls.get(), pullFailures.size(),
                    deletedOnlyBlobs.size(), collected, restores.get(), dry.summary());
            pullFailures.stream().limit(5).forEach(f -> System.out.println("  pull during the run: " + f));

            assertEquals(List.of(), pushFailures.stream().filter(f -> f.contains("MANIFEST_BLOB_UNKNOWN")).toList(),
                    "no push fails because the collector took what it referenced");
            assertEquals(List.of(), pushFailures, "no push or delete fails at all");
            assertEquals(List.of(), finalProblems, "every kept artifact is fully pullable from both replicas");
            assertTrue(kept.size() >= 10 && deletes.get() >= 5, "the soak did work: " + kept.size() + " kept, " + deletes.get() + " deleted");
            assertTrue(collected > 0, "the collector reclaimed blobs of deleted images while the soak ran");
        } finally {
            trashLog.removeHandler(counter);
        }
    }

    /**
     * The race the soak makes likely, made certain: a client learns on one replica that a blob
     * exists (HEAD 200), the collector on the other replica removes it (it is old and unreferenced),
     * then the client pushes its manifest: the push puts the blob back and succeeds, and the
     * artifact pulls completely from both replicas.
     */
    @Test
    void headThenCollectThenPush_pushRestoresTheBlob() throws Exception {
        S3TestServer s3 = S3TestServer.shared();
        Map<String, String> env = new HashMap<>(s3.registryEnv(s3.createBucket()));
        env.put("AKUA_REGISTRY_GC_GRACESECONDS", "1");
        env.put("AKUA_REGISTRY_MAINTENANCE_LEASESETTLEMILLIS", "200");
        try (TestRegistry a = TestRegistry.start(dir.resolve("a"), env);
             TestRegistry b = TestRegistry.start(dir.resolve("b"), env)) {
            Http ha = new Http(a.base());
            Http hb = new Http(b.base());
            Oci oci = new Oci(ha);
            byte[] layer = Oci.random(50_000, 11);
            byte[] config = utf8("{\"architecture\":\"amd64\"}");
            Digest l = oci.pushBlob("race/app", layer);
            Digest c = oci.pushBlob("race/app", config);
            Thread.sleep(2100); // older than the grace period, referenced by nothing

            assertEquals(200, ha.head("/v2/race/app/blobs/" + l).status(), "the client sees the blob and skips its upload");
            GcReport report = b.server().context().service(Maintenance.class).orElseThrow().collectGarbage(false);
            assertTrue(report.blobs().contains(l), report.summary());
            assertEquals(404, hb.head("/v2/race/app/blobs/" + l).status(), "collected");

            byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                    + MediaTypes.OCI_CONFIG + "\",\"size\":" + config.length + ",\"digest\":\"" + c + "\"},\"layers\":[{\"mediaType\":"
                    + "\"application/vnd.oci.image.layer.v1.tar\",\"size\":" + layer.length + ",\"digest\":\"" + l + "\"}]}");
            Http.Resp put = oci.putManifest("race/app", "1.0.0", manifest, MediaTypes.OCI_MANIFEST);
            assertEquals(201, put.status(), put::text);
            for (Http h : List.of(ha, hb)) {
                assertEquals(Digest.sha256(manifest), Digest.sha256(h.get("/v2/race/app/manifests/1.0.0", "Accept", MediaTypes.OCI_MANIFEST).body()));
                assertEquals(l, Digest.sha256(h.get("/v2/race/app/blobs/" + l).body()));
                assertEquals(c, Digest.sha256(h.get("/v2/race/app/blobs/" + c).body()));
            }
        }
    }

    /** One image: shared base layer, unique layer, sometimes a recycled one; a referrer and a sidecar for kept ones. */
    private static Pushed pushOne(List<Http> replicas, Random random, int thread, int i, List<String> failures,
                                  Map<Digest, Boolean> deletedOnlyBlobs) {
        String repo = "soak/r" + (i % 3);
        boolean ephemeral = random.nextInt(3) == 0;
        List<byte[]> layers = new ArrayList<>();
        layers.add(Oci.random(64 * 1024, 42)); // every image shares it
        layers.add(Oci.random(16 * 1024 + random.nextInt(200 * 1024), random.nextLong()));
        boolean recycled = ephemeral && random.nextBoolean();
        if (recycled) {
            layers.add(Oci.random(8 * 1024, 100 + random.nextInt(8))); // recycled: garbage, then needed again
        }
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + thread + "-" + i + "\"}");
        List<Digest> blobs = new ArrayList<>();
        blobs.add(upload(replicas, random, repo, config, failures));
        StringBuilder layerJson = new StringBuilder();
        for (byte[] layer : layers) {
            Digest d = upload(replicas, random, repo, layer, failures);
            if (d == null) {
                return null;
            }
            blobs.add(d);
            layerJson.append(layerJson.isEmpty() ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"size\":")
                    .append(layer.length).append(",\"digest\":\"").append(d).append("\"}");
        }
        if (blobs.getFirst() == null) {
            return null;
        }
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"size\":" + config.length + ",\"digest\":\"" + blobs.getFirst() + "\"},\"layers\":["
                + layerJson + "]}");
        if (recycled) {
            // a slow client: it learned the blobs exist (HEAD 200 or its upload), and takes a while, within
            // the grace period, before it pushes the manifest; meanwhile the collector may take a recycled layer
            try {
                Thread.sleep(random.nextInt((int) GRACE.toMillis() / 2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String tag = (ephemeral ? "tmp-" : "keep-") + thread + "-" + i;
        Http.Resp put = replicas.get(random.nextInt(2)).put("/v2/" + repo + "/manifests/" + tag, manifest, MediaTypes.OCI_MANIFEST);
        if (put.status() != 201) {
            failures.add("push " + repo + ":" + tag + ": " + put.status() + " " + put.text());
            return null;
        }
        Digest digest = Digest.sha256(manifest);
        if (ephemeral) {
            // the unique layer and config belong to this image only: garbage once it is deleted
            deletedOnlyBlobs.put(blobs.get(0), true);
            deletedOnlyBlobs.put(blobs.get(2), true);
            return new Pushed(repo, tag, digest, blobs, null, true);
        }
        Digest referrer = null;
        if (random.nextInt(3) == 0) {
            byte[] sbom = utf8("{\"sbom\":\"" + thread + "-" + i + "\"}");
            Digest sbomBlob = upload(replicas, random, repo, sbom, failures);
            Digest empty = upload(replicas, random, repo, utf8("{}"), failures);
            byte[] ref = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\"application/spdx+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"size\":2,\"digest\":\"" + empty + "\"},"
                    + "\"layers\":[{\"mediaType\":\"application/spdx+json\",\"size\":" + sbom.length + ",\"digest\":\"" + sbomBlob + "\"}],"
                    + "\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"size\":" + manifest.length + ",\"digest\":\"" + digest + "\"}}");
            referrer = Digest.sha256(ref);
            Http.Resp r = replicas.get(random.nextInt(2)).put("/v2/" + repo + "/manifests/" + referrer, ref, MediaTypes.OCI_MANIFEST);
            if (r.status() != 201) {
                failures.add("push referrer " + repo + "@" + referrer + ": " + r.status() + " " + r.text());
                referrer = null;
            }
            // and a cosign-style sidecar tag, the scheme akua uses (akua-wire-contract §3.3)
            byte[] sig = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"size\":2,\"digest\":\"" + empty + "\"},"
                    + "\"layers\":[{\"mediaType\":\"application/spdx+json\",\"size\":" + sbom.length + ",\"digest\":\"" + sbomBlob + "\"}],"
                    + "\"annotations\":{\"sig\":\"" + thread + "-" + i + "\"}}");
            Http.Resp s = replicas.get(random.nextInt(2)).put("/v2/" + repo + "/manifests/" + digest.tagForm() + ".sig", sig,
                    MediaTypes.OCI_MANIFEST);
            if (s.status() != 201) {
                failures.add("push sidecar " + repo + ":" + digest.tagForm() + ".sig: " + s.status() + " " + s.text());
            }
        }
        return new Pushed(repo, tag, digest, blobs, referrer, false);
    }

    /** Like a client: HEAD first, upload only what is missing (monolithic, or chunked across both replicas). */
    private static Digest upload(List<Http> replicas, Random random, String repo, byte[] content, List<String> failures) {
        Digest d = Digest.sha256(content);
        Http first = replicas.get(random.nextInt(2));
        if (first.head("/v2/" + repo + "/blobs/" + d).status() == 200) {
            return d;
        }
        Http.Resp start = first.post("/v2/" + repo + "/blobs/uploads/");
        if (start.status() != 202) {
            failures.add("upload start: " + start.status() + " " + start.text());
            return null;
        }
        String location = start.header("Location").orElseThrow();
        Http.Resp done;
        if (content.length > 32 * 1024 && random.nextBoolean()) {
            int cut = content.length / 2;
            Http.Resp patch = replicas.get(random.nextInt(2)).patch(location, java.util.Arrays.copyOfRange(content, 0, cut), "0-" + (cut - 1));
            if (patch.status() != 202) {
                failures.add("upload patch: " + patch.status() + " " + patch.text());
                return null;
            }
            done = replicas.get(random.nextInt(2)).put(Http.withQuery(patch.header("Location").orElseThrow(), "digest=" + d),
                    java.util.Arrays.copyOfRange(content, cut, content.length), "application/octet-stream");
        } else {
            done = replicas.get(random.nextInt(2)).put(Http.withQuery(location, "digest=" + d), content, "application/octet-stream");
        }
        if (done.status() != 201) {
            failures.add("upload " + d + ": " + done.status() + " " + done.text());
            return null;
        }
        return d;
    }

    /** Null if the artifact pulls completely (manifest by tag, every blob by digest, its referrer listed), else what failed. */
    private static String pullProblem(Http h, Pushed p) {
        Http.Resp m = h.get("/v2/" + p.repo() + "/manifests/" + p.tag(), "Accept", MediaTypes.OCI_MANIFEST);
        if (m.status() != 200 || !Digest.sha256(m.body()).equals(p.manifest())) {
            return p.repo() + ":" + p.tag() + " manifest " + m.status() + " " + m.text();
        }
        for (Digest d : p.blobs()) {
            Http.Resp blob = h.get("/v2/" + p.repo() + "/blobs/" + d);
            if (blob.status() != 200 || !Digest.sha256(blob.body()).equals(d)) {
                return p.repo() + ":" + p.tag() + " blob " + d + " " + blob.status();
            }
        }
        if (p.referrer() != null) {
            Http.Resp sig = h.head("/v2/" + p.repo() + "/manifests/" + p.manifest().tagForm() + ".sig");
            if (sig.status() != 200) {
                return p.repo() + ":" + p.tag() + " lost its sidecar signature tag: " + sig.status();
            }
            JsonNode list = h.get("/v2/" + p.repo() + "/referrers/" + p.manifest()).json().get("manifests");
            List<String> digests = new ArrayList<>();
            list.forEach(n -> digests.add(n.get("digest").asText()));
            if (!digests.contains(p.referrer().toString())) {
                return p.repo() + ":" + p.tag() + " lost its referrer " + p.referrer();
            }
            Http.Resp ref = h.head("/v2/" + p.repo() + "/manifests/" + p.referrer());
            if (ref.status() != 200) {
                return p.repo() + ":" + p.tag() + " referrer manifest " + ref.status();
            }
        }
        return null;
    }
}
