package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.akua.registry.conformance.Oci.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** distribution-spec "Content Discovery": tags, catalog, referrers. */
class DiscoveryTest {
    @TempDir
    static Path root;
    static TestRegistry registry;
    static Http http;
    static Oci oci;
    static final String REPO = "conformance/discovery";
    static final List<String> TAGS = List.of("1.0.0", "1.10.0", "1.2.0", "A-upper", "_under", "latest", "v2");
    static Digest subject;
    static Digest sbom;
    static Digest signature;
    static Digest indexReferrer;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start(root, Map.of("AKUA_REGISTRY_API_MAXPAGESIZE", "3"));
        http = new Http(registry.base());
        oci = new Oci(http);
        Digest d = oci.pushImage(REPO, "latest", "base", "");
        for (String t : TAGS) {
            byte[] m = http.get("/v2/" + REPO + "/manifests/" + d).body();
            assertEquals(201, oci.putManifest(REPO, t, m, MediaTypes.OCI_MANIFEST).status());
        }
        subject = d;
        String subjectField = ",\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"size\":1,\"digest\":\"" + subject + "\"}";
        sbom = oci.pushImage(REPO, "sbom", "sbom", ",\"artifactType\":\"application/vnd.example.sbom\",\"annotations\":{\"org.example\":\"x\"}" + subjectField);
        signature = oci.pushImage(REPO, "sig", "sig", ",\"artifactType\":\"application/vnd.example.sig\"" + subjectField);
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]" + subjectField + "}");
        assertEquals(201, oci.putManifest(REPO, "idx", index, MediaTypes.OCI_INDEX).status());
        indexReferrer = Digest.sha256(index);
        for (String r : List.of("a", "b", "c", "d", "e")) {
            oci.pushBlob("catalog/" + r, utf8(r));
        }
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static List<String> tags(JsonNode body) {
        List<String> out = new ArrayList<>();
        body.get("tags").forEach(t -> out.add(t.asText()));
        return out;
    }

    private static String next(Http.Resp r) {
        Matcher m = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"").matcher(r.header("Link").orElse(""));
        return m.find() ? m.group(1) : null;
    }

    @Test
    void tags_pagedWithLink_coverAllInAsciiOrder() {
        List<String> expected = new ArrayList<>(TAGS);
        expected.add("idx");
        expected.add("sbom");
        expected.add("sig");
        expected.sort(null);
        List<String> seen = new ArrayList<>();
        String url = "/v2/" + REPO + "/tags/list";
        int pages = 0;
        while (url != null) {
            Http.Resp r = http.get(url);
            assertEquals(200, r.status());
            assertEquals(REPO, r.json().get("name").asText());
            List<String> page = tags(r.json());
            assertTrue(page.size() <= 3);
            seen.addAll(page);
            url = next(r);
            pages++;
        }
        assertEquals(expected, seen);
        assertEquals(4, pages);
    }

    @Test
    void tags_nAndLast() {
        Http.Resp r = http.get("/v2/" + REPO + "/tags/list?n=2&last=1.10.0");
        assertEquals(List.of("1.2.0", "A-upper"), tags(r.json()));
        assertTrue(r.header("Link").orElseThrow().contains("last=A-upper"));
        Http.Resp lastOnly = http.get("/v2/" + REPO + "/tags/list?last=sig");
        assertEquals(List.of("v2"), tags(lastOnly.json()));
        assertFalse(lastOnly.header("Link").isPresent());
    }

    @Test
    void tags_nZero_isEmptyWithoutLink() {
        Http.Resp r = http.get("/v2/" + REPO + "/tags/list?n=0");
        assertEquals(200, r.status());
        assertEquals(List.of(), tags(r.json()));
        assertFalse(r.header("Link").isPresent());
    }

    @Test
    void tags_invalidN_is400() {
        assertEquals(400, http.get("/v2/" + REPO + "/tags/list?n=-1").status());
        assertEquals(400, http.get("/v2/" + REPO + "/tags/list?n=abc").status());
    }

    @Test
    void tags_unknownRepository_is404NameUnknown() {
        http.get("/v2/no/such/repo/tags/list").assertError(404, "NAME_UNKNOWN");
    }

    @Test
    void catalog_pagedWithLink() {
        List<String> seen = new ArrayList<>();
        String url = "/v2/_catalog";
        while (url != null) {
            Http.Resp r = http.get(url);
            assertEquals(200, r.status());
            r.json().get("repositories").forEach(n -> seen.add(n.asText()));
            url = next(r);
        }
        assertEquals(List.of("catalog/a", "catalog/b", "catalog/c", "catalog/d", "catalog/e", REPO), seen);
        Http.Resp capped = http.get("/v2/_catalog?n=1000");
        assertEquals(3, capped.json().get("repositories").size(), "n above the cap is capped");
        assertTrue(capped.header("Link").isPresent());
    }

    @Test
    void referrers_listsManifestsAndIndexesWithArtifactTypes() {
        Http.Resp r = http.get("/v2/" + REPO + "/referrers/" + subject + "?n=10");
        assertEquals(200, r.status());
        assertEquals(MediaTypes.OCI_INDEX, r.header("Content-Type").orElseThrow());
        JsonNode index = r.json();
        assertEquals(2, index.get("schemaVersion").asInt());
        assertEquals(MediaTypes.OCI_INDEX, index.get("mediaType").asText());
        Map<String, JsonNode> byDigest = new java.util.HashMap<>();
        index.get("manifests").forEach(m -> byDigest.put(m.get("digest").asText(), m));
        assertEquals(3, byDigest.size());
        assertEquals("application/vnd.example.sbom", byDigest.get(sbom.toString()).get("artifactType").asText());
        assertEquals("x", byDigest.get(sbom.toString()).get("annotations").get("org.example").asText());
        assertEquals(MediaTypes.OCI_MANIFEST, byDigest.get(sbom.toString()).get("mediaType").asText());
        assertTrue(byDigest.get(sbom.toString()).get("size").asLong() > 0);
        assertFalse(byDigest.get(indexReferrer.toString()).has("artifactType"), "an index without artifactType has none");
        assertFalse(r.header("OCI-Filters-Applied").isPresent());
    }

    @Test
    void referrers_artifactTypeFilter_appliedAndAnnounced() {
        Http.Resp r = http.get("/v2/" + REPO + "/referrers/" + subject + "?artifactType=application/vnd.example.sig");
        assertEquals("artifactType", r.header("OCI-Filters-Applied").orElseThrow());
        JsonNode manifests = r.json().get("manifests");
        assertEquals(1, manifests.size());
        assertEquals(signature.toString(), manifests.get(0).get("digest").asText());
    }

    @Test
    void referrers_paged() {
        Http.Resp first = http.get("/v2/" + REPO + "/referrers/" + subject + "?n=2");
        assertEquals(2, first.json().get("manifests").size());
        String next = next(first);
        assertTrue(next != null && next.startsWith("/v2/" + REPO + "/referrers/"));
        assertEquals(1, http.get(next).json().get("manifests").size());
    }

    @Test
    void referrers_unknownDigest_isEmptyIndexNot404() {
        Http.Resp r = http.get("/v2/" + REPO + "/referrers/" + Digest.sha256(utf8("nothing refers to me")));
        assertEquals(200, r.status());
        assertEquals(0, r.json().get("manifests").size());
        assertEquals(200, http.get("/v2/unknown/repo/referrers/" + subject).status());
    }

    @Test
    void referrers_invalidDigest_is400() {
        http.get("/v2/" + REPO + "/referrers/sha256:nothex").assertError(400, "DIGEST_INVALID");
        http.get("/v2/" + REPO + "/referrers/latest").assertError(400, "DIGEST_INVALID");
    }
}
