package dev.akua.registry.conformance;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.SearchResult;
import dev.akua.registry.conformance.HelmFixtures.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hosted Helm repositories: charts pushed with {@code helm push} or uploaded ChartMuseum-style
 * appear in {@code /helm/hosted/<namespace>/index.yaml} (digests, absolute URLs) and disappear when
 * deleted; a real Helm client adds, updates and searches the repository; hostile charts are refused.
 */
class HelmHostedTest {
    @TempDir
    Path dir;
    private TestRegistry registry;
    private Http http;

    @BeforeEach
    void start() {
        registry = TestRegistry.start(dir.resolve("registry"), """
                helm:
                  enabled: true
                  spoolDir: %s
                  hosted:
                    - namespace: charts
                """.formatted(dir.resolve("spool")), Map.of());
        http = new Http(registry.base());
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private String index() {
        Http.Resp r = http.get("/helm/hosted/charts/index.yaml");
        assertEquals(200, r.status(), r.text());
        return r.text();
    }

    @Test
    void helmPush_hostedNamespace_listedWithDigestAndAbsoluteUrl_andHelmSearchFindsIt() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path dest = Files.createDirectories(dir.resolve("dist"));
        Helm chart = Helm.create().withName("hello").withDir(work).call();
        chart.packageIt().withDestination(dest).call();
        Path tgz = dest.resolve("hello-0.1.0.tgz");
        Helm.push().withChart(tgz).withRemote(URI.create("oci://" + registry.hostPort() + "/charts")).plainHttp().call();

        String index = index();
        String sha = HelmFixtures.sha256(Files.readAllBytes(tgz));
        assertTrue(index.contains("\"hello\""), index);
        assertTrue(index.contains("digest: \"" + sha + "\""), index);
        String url = registry.base() + "/helm/hosted/charts/charts/hello-0.1.0.tgz";
        assertTrue(index.contains("\"" + url + "\""), index);
        assertArrayEquals(Files.readAllBytes(tgz), http.get(url).body());

        Path config = dir.resolve("helm/repositories.yaml");
        String name = "hosted-" + UUID.randomUUID().toString().substring(0, 8);
        Helm.repo().add().withRepositoryConfig(config).withName(name).withUrl(URI.create(registry.base() + "/helm/hosted/charts")).call();
        Helm.repo().update().withRepositoryConfig(config).call();
        List<SearchResult> found = Helm.search().repo().withRepositoryConfig(config).withKeyword("hello").call();
        assertTrue(found.stream().anyMatch(r -> r.getName().equals(name + "/hello") && r.getChartVersion().equals("0.1.0")),
                () -> "helm search found " + found.stream().map(r -> r.getName() + " " + r.getChartVersion()).toList());

        String digest = http.head("/v2/charts/hello/manifests/0.1.0").header("Docker-Content-Digest").orElseThrow();
        assertEquals(202, http.delete("/v2/charts/hello/manifests/" + digest).status());
        assertFalse(index().contains("hello"), "a deleted chart leaves the index at once");
    }

    @Test
    void chartMuseumUpload_rawAndMultipart_listedThenTagDeleteRemovesIt() {
        byte[] raw = HelmFixtures.chart("demo", "2.0.0");
        Http.Resp saved = http.send(http.request("/helm/hosted/charts/api/charts")
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(raw)));
        assertEquals(201, saved.status(), saved.text());
        assertEquals("{\"saved\":true}", saved.text());

        byte[] form = HelmFixtures.chart("tool", "0.2.0+build.7");
        String boundary = "----akua" + UUID.randomUUID();
        byte[] body = concat(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"chart\"; filename=\"tool.tgz\"\r\n"
                + "Content-Type: application/gzip\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), form,
                ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        Http.Resp multipart = http.send(http.request("/helm/hosted/charts/api/charts")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertEquals(201, multipart.status(), multipart.text());

        String index = index();
        assertTrue(index.contains("digest: \"" + HelmFixtures.sha256(raw) + "\""), index);
        assertTrue(index.contains("digest: \"" + HelmFixtures.sha256(form) + "\""), index);
        assertTrue(index.contains("charts/tool-0.2.0%2Bbuild.7.tgz"), index);
        assertArrayEquals(form, http.get("/helm/hosted/charts/charts/tool-0.2.0%2Bbuild.7.tgz").body());
        assertEquals(200, http.get("/v2/charts/tool/manifests/0.2.0_build.7").status());

        http.send(http.request("/helm/hosted/charts/api/charts").POST(HttpRequest.BodyPublishers.ofByteArray(raw)))
                .assertError(409, "DENIED");

        assertEquals(202, http.delete("/v2/charts/demo/manifests/2.0.0").status());
        String after = index();
        assertFalse(after.contains("\"demo\""), after);
        assertTrue(after.contains("\"tool\""), after);
    }

    @Test
    void chartMuseumUpload_hostileArchivesAndChartYamls_refused() {
        Map<String, byte[]> hostile = new java.util.LinkedHashMap<>();
        String chartYaml = "apiVersion: v2\nname: evil\nversion: 1.0.0\n";
        hostile.put("symbolic link", HelmFixtures.tgz(List.of(Entry.file("evil/Chart.yaml", chartYaml),
                new Entry("evil/x", org.apache.commons.compress.archivers.tar.TarArchiveEntry.LF_SYMLINK, "/etc/shadow", new byte[0]))));
        hostile.put("parent directory", HelmFixtures.tgz(List.of(Entry.file("evil/Chart.yaml", chartYaml),
                Entry.file("evil/../../etc/cron.d/x", "boom"))));
        hostile.put("absolute path", HelmFixtures.tgz(List.of(Entry.file("evil/Chart.yaml", chartYaml), Entry.file("/etc/x", "boom"))));
        hostile.put("SemVer", HelmFixtures.tgz(List.of(Entry.file("evil/Chart.yaml", "apiVersion: v2\nname: evil\nversion: latest\n"))));
        hostile.put("control characters", HelmFixtures.tgz(List.of(Entry.file("evil/Chart.yaml",
                "apiVersion: v2\nname: evil\nversion: 1.0.0\ndescription: \"bell\\a\"\n"))));
        hostile.put("gzip", HelmFixtures.utf8("not a gzip stream at all"));
        for (Map.Entry<String, byte[]> e : hostile.entrySet()) {
            Http.Resp r = http.send(http.request("/helm/hosted/charts/api/charts").POST(HttpRequest.BodyPublishers.ofByteArray(e.getValue())));
            r.assertError(400, "MANIFEST_INVALID");
            assertTrue(r.text().contains(e.getKey()), () -> e.getKey() + ": " + r.text());
        }
        assertFalse(index().contains("evil"));
        assertFalse(registry.server().storage().catalog().exists(new dev.akua.registry.oci.RepositoryName("charts/evil")));
    }

    @Test
    void ociPush_helmManifestWithHostileLayer_refused() {
        Oci oci = new Oci(http);
        byte[] layer = HelmFixtures.tgz(List.of(Entry.file("evil/Chart.yaml", "apiVersion: v2\nname: evil\nversion: 1.0.0\n"),
                Entry.file("evil/../escape", "x")));
        byte[] config = HelmFixtures.utf8("{\"name\":\"evil\",\"version\":\"1.0.0\",\"apiVersion\":\"v2\"}");
        oci.pushBlob("charts/evil", layer);
        oci.pushBlob("charts/evil", config);
        byte[] manifest = HelmFixtures.utf8("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + Oci.descriptor("application/vnd.cncf.helm.config.v1+json", config) + ",\"layers\":["
                + Oci.descriptor("application/vnd.cncf.helm.chart.content.v1.tar+gzip", layer) + "]}");

        oci.putManifest("charts/evil", "1.0.0", manifest, "application/vnd.oci.image.manifest.v1+json")
                .assertError(400, "MANIFEST_INVALID");
        assertFalse(index().contains("evil"));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
