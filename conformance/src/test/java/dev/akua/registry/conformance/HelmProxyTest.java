package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.SearchResult;
import dev.akua.registry.conformance.HelmFixtures.Entry;
import dev.akua.registry.conformance.HelmFixtures.IndexEntry;
import dev.akua.registry.lockfile.LockMode;
import dev.akua.registry.lockfile.LockOutcome;
import dev.akua.registry.lockfile.LockRequest;
import dev.akua.registry.lockfile.LockService;
import dev.akua.registry.lockfile.helm.HelmRepoResolver;
import dev.akua.registry.lockfile.signature.SignatureVerifier;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.remote.AddressPolicy;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteConfig;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Helm repositories against a fake upstream (WireMock on 127.0.0.1): the classic proxy with a real
 * Helm client, the OCI view, digest checks, coalescing, the last good copy, and lock resolution
 * through the proxy.
 */
class HelmProxyTest {
    @TempDir
    Path dir;
    private WireMockServer upstream;
    private int upstreamPort;
    private TestRegistry registry;
    private Http http;
    private final Map<String, byte[]> charts = new java.util.LinkedHashMap<>();

    @BeforeEach
    void start() {
        upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        upstreamPort = upstream.port();
        List<IndexEntry> entries = new ArrayList<>();
        for (String v : List.of("1.0.0", "1.1.0")) {
            byte[] tgz = HelmFixtures.chart("demo", v);
            charts.put("demo-" + v, tgz);
            serve("/stable/charts/demo-" + v + ".tgz", tgz);
            entries.add(new IndexEntry("demo", v, "charts/demo-" + v + ".tgz", HelmFixtures.sha256(tgz)));
        }
        // Absolute URL on the same host, and a chart whose archive differs from the index digest.
        byte[] other = HelmFixtures.chart("other", "0.3.0");
        charts.put("other-0.3.0", other);
        serve("/files/other-0.3.0.tgz", other);
        entries.add(new IndexEntry("other", "0.3.0", upstreamBase() + "/files/other-0.3.0.tgz", HelmFixtures.sha256(other)));
        byte[] bad = HelmFixtures.chart("bad", "1.0.0");
        serve("/stable/charts/bad-1.0.0.tgz", bad);
        entries.add(new IndexEntry("bad", "1.0.0", "charts/bad-1.0.0.tgz", HelmFixtures.sha256(HelmFixtures.utf8("something else"))));
        byte[] hostile = HelmFixtures.tgz(List.of(Entry.file("hostile/Chart.yaml", "apiVersion: v2\nname: hostile\nversion: 1.0.0\n"),
                new Entry("hostile/templates/link.yaml", TarArchiveEntry.LF_SYMLINK, "/etc/passwd", new byte[0])));
        serve("/stable/charts/hostile-1.0.0.tgz", hostile);
        entries.add(new IndexEntry("hostile", "1.0.0", "charts/hostile-1.0.0.tgz", HelmFixtures.sha256(hostile)));
        upstream.stubFor(get(urlEqualTo("/stable/index.yaml")).willReturn(aResponse().withStatus(200)
                .withHeader("ETag", "\"v1\"").withBody(HelmFixtures.index(entries))));
        registry = startRegistry(dir.resolve("registry"), 300);
        http = new Http(registry.base());
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
        upstream.stop();
    }

    private String upstreamBase() {
        return "http://127.0.0.1:" + upstreamPort;
    }

    private void serve(String path, byte[] body) {
        upstream.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withBody(body)));
    }

    private TestRegistry startRegistry(Path root, int revalidateSeconds) {
        return TestRegistry.start(root, """
                helm:
                  enabled: true
                  indexRevalidateSeconds: %d
                  spoolDir: %s
                  remote:
                    allowLoopback: true
                  upstreams:
                    - name: fake
                      url: %s/stable
                """.formatted(revalidateSeconds, root.resolve("spool"), upstreamBase()), Map.of());
    }

    @Test
    void helmRepoAddUpdateSearch_proxiedUpstream_findsChartThroughRegistry() {
        Path config = dir.resolve("helm/repositories.yaml");
        String name = "proxied-" + UUID.randomUUID().toString().substring(0, 8);
        Helm.repo().add().withRepositoryConfig(config).withName(name).withUrl(URI.create(registry.base() + "/helm/fake")).call();
        Helm.repo().update().withRepositoryConfig(config).call();
        List<SearchResult> found = Helm.search().repo().withRepositoryConfig(config).withKeyword("demo").call();

        assertTrue(found.stream().anyMatch(r -> r.getName().equals(name + "/demo") && r.getChartVersion().equals("1.1.0")),
                () -> "helm search found " + found.stream().map(r -> r.getName() + " " + r.getChartVersion()).toList());
        String index = http.get("/helm/fake/index.yaml").text();
        assertTrue(index.contains("\"charts/demo-1.0.0.tgz\""), index);
        assertTrue(index.contains("\"charts/other-0.3.0.tgz\""), "absolute upstream URLs are rewritten too: " + index);
        assertFalse(index.contains(upstreamBase()), "no upstream URL is left in the served index");
    }

    @Test
    void helmShowAndTemplate_ociView_rendersChartFromUpstream() {
        String ref = "oci://" + registry.hostPort() + "/helm/fake/demo";

        String shown = Helm.show(ref).chart().withVersion("1.0.0").plainHttp().call();
        String rendered = Helm.template(ref).withName("web").withVersion("1.1.0").plainHttp().call();

        assertTrue(shown.contains("name: demo") && shown.contains("version: 1.0.0"), shown);
        assertTrue(rendered.contains("name: web-cm") && rendered.contains("greeting: \"hello from demo 1.1.0\""), rendered);
        assertTrue(rendered.contains("chart: demo-1.1.0"), rendered);
    }

    @Test
    void tagsList_ociView_listsIndexVersionsBeforeAnyFetch() {
        JsonNode tags = http.get("/v2/helm/fake/demo/tags/list").json();

        assertEquals("helm/fake/demo", tags.get("name").asText());
        assertEquals(List.of("1.0.0", "1.1.0"), List.of(tags.get("tags").get(0).asText(), tags.get("tags").get(1).asText()));
        assertEquals(2, tags.get("tags").size());
        upstream.verify(0, getRequestedFor(urlEqualTo("/stable/charts/demo-1.0.0.tgz")));
        http.get("/v2/helm/fake/nosuchchart/tags/list").assertError(404, "NAME_UNKNOWN");
    }

    @Test
    void ociView_layerDigestEqualsSha256OfUpstreamTgz_andManifestIsDeterministic() throws Exception {
        String expected = "sha256:" + HelmFixtures.sha256(charts.get("demo-1.0.0"));

        Http.Resp manifest = http.get("/v2/helm/fake/demo/manifests/1.0.0",
                "Accept", "application/vnd.oci.image.manifest.v1+json");

        assertEquals(200, manifest.status(), manifest.text());
        JsonNode m = manifest.json();
        assertEquals("application/vnd.cncf.helm.config.v1+json", m.get("config").get("mediaType").asText());
        assertEquals(1, m.get("layers").size());
        assertEquals("application/vnd.cncf.helm.chart.content.v1.tar+gzip", m.get("layers").get(0).get("mediaType").asText());
        assertEquals(expected, m.get("layers").get(0).get("digest").asText());
        assertEquals("demo", m.get("annotations").get("org.opencontainers.image.title").asText());
        assertEquals("1.0.0", m.get("annotations").get("org.opencontainers.image.version").asText());
        assertArrayEquals(charts.get("demo-1.0.0"), http.get("/v2/helm/fake/demo/blobs/" + expected).body());
        JsonNode config = http.get("/v2/helm/fake/demo/blobs/" + m.get("config").get("digest").asText()).json();
        assertEquals("demo", config.get("name").asText());
        assertEquals("1.0.0", config.get("version").asText());
        assertEquals(HelmFixtures.sha256(charts.get("demo-1.0.0")),
                HelmFixtures.sha256(http.get("/helm/fake/charts/demo-1.0.0.tgz").body()), "classic and OCI serve the same bytes");

        String digest = manifest.header("Docker-Content-Digest").orElseThrow();
        try (TestRegistry second = startRegistry(dir.resolve("second"), 300)) {
            Http.Resp again = new Http(second.base()).get("/v2/helm/fake/demo/manifests/1.0.0");
            assertEquals(digest, again.header("Docker-Content-Digest").orElseThrow(), "same archive, same manifest digest");
            assertArrayEquals(manifest.body(), again.body());
        }
    }

    @Test
    void chartDownload_digestMismatch_jsonErrorAndNothingCached() {
        Http.Resp resp = http.get("/helm/fake/charts/bad-1.0.0.tgz");

        resp.assertError(422, "DIGEST_INVALID");
        assertTrue(resp.text().contains("index.yaml publishes"), resp.text());
        var storage = registry.server().storage();
        assertFalse(storage.catalog().exists(new RepositoryName("helm/fake/bad")), "no repository was created");
        String actual = "sha256:" + HelmFixtures.sha256(HelmFixtures.chart("bad", "1.0.0"));
        assertTrue(storage.blobs().stat(Digest.parse(actual)).isEmpty(), "the archive did not enter the content store");
        http.get("/v2/helm/fake/bad/manifests/1.0.0").assertError(422, "DIGEST_INVALID");
        upstream.verify(2, getRequestedFor(urlEqualTo("/stable/charts/bad-1.0.0.tgz")));
    }

    @Test
    void chartDownload_hostileUpstreamArchive_refusedAndNothingCached() {
        Http.Resp resp = http.get("/helm/fake/charts/hostile-1.0.0.tgz");

        resp.assertError(422, "MANIFEST_INVALID");
        assertTrue(resp.text().contains("symbolic link"), resp.text());
        assertFalse(registry.server().storage().catalog().exists(new RepositoryName("helm/fake/hostile")));
    }

    @Test
    void chartDownload_twentyConcurrentRequests_oneUpstreamRequest() throws Exception {
        upstream.stubFor(get(urlEqualTo("/stable/charts/demo-1.1.0.tgz")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(700).withBody(charts.get("demo-1.1.0"))));
        http.get("/helm/fake/index.yaml");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Http.Resp>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> http.get("/helm/fake/charts/demo-1.1.0.tgz")));
            }
            for (Future<Http.Resp> f : results) {
                Http.Resp r = f.get();
                assertEquals(200, r.status(), r.text());
                assertArrayEquals(charts.get("demo-1.1.0"), r.body());
            }
        } finally {
            pool.shutdownNow();
        }
        upstream.verify(1, getRequestedFor(urlEqualTo("/stable/charts/demo-1.1.0.tgz")));
    }

    @Test
    void upstreamStops_cachedChartAndLastIndexStillServed() {
        registry.close();
        registry = startRegistry(dir.resolve("registry"), 0);     // revalidate on every request
        http = new Http(registry.base());
        String index = http.get("/helm/fake/index.yaml").text();
        byte[] chart = http.get("/helm/fake/charts/demo-1.0.0.tgz").body();
        assertArrayEquals(charts.get("demo-1.0.0"), chart);

        upstream.stop();

        Http.Resp staleIndex = http.get("/helm/fake/index.yaml");
        assertEquals(200, staleIndex.status());
        assertEquals(index, staleIndex.text());
        assertTrue(staleIndex.header("Akua-Helm-Index").orElse("").startsWith("stale"));
        assertArrayEquals(charts.get("demo-1.0.0"), http.get("/helm/fake/charts/demo-1.0.0.tgz").body());
        assertEquals(200, http.get("/v2/helm/fake/demo/manifests/1.0.0").status());
        http.get("/helm/fake/charts/demo-1.1.0.tgz").assertError(502, "UNAVAILABLE");

        registry.close();        // a restart while the upstream is still down: the kept copy is served
        registry = startRegistry(dir.resolve("registry"), 0);
        Http restarted = new Http(registry.base());
        assertEquals(index, restarted.get("/helm/fake/index.yaml").text());
        assertArrayEquals(charts.get("demo-1.0.0"), restarted.get("/helm/fake/charts/demo-1.0.0.tgz").body());
    }

    @Test
    void index_revalidation_sendsValidatorsAndReuses304() {
        registry.close();
        registry = startRegistry(dir.resolve("registry"), 0);
        http = new Http(registry.base());
        String first = http.get("/helm/fake/index.yaml").text();
        upstream.stubFor(get(urlEqualTo("/stable/index.yaml")).withHeader("If-None-Match", equalTo("\"v1\""))
                .atPriority(1).willReturn(aResponse().withStatus(304)));

        Http.Resp second = http.get("/helm/fake/index.yaml");

        assertEquals(first, second.text());
        assertTrue(second.header("Akua-Helm-Index").isEmpty(), "a 304 is a fresh copy, not a stale one");
        upstream.verify(getRequestedFor(urlEqualTo("/stable/index.yaml")).withHeader("If-None-Match", equalTo("\"v1\"")));
        String etag = second.header("ETag").orElseThrow();
        assertEquals(304, http.get("/helm/fake/index.yaml", "If-None-Match", etag).status());
    }

    @Test
    void lock_helmRepoDependencyThroughProxy_sameDigestAsUpstream() throws Exception {
        LockService locks = LockService.create(RemoteClient.create(RemoteConfig.defaults()
                        .withAddressPolicy(AddressPolicy.publicOnly().withLoopbackAllowed()).withTotalTimeout(Duration.ofSeconds(20))),
                SignatureVerifier.trustingNothing(), HelmRepoResolver.Limits.defaults());
        String manifest = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"akua.dev/v1alpha1\"\n"
                + "strict_signing = false\n\n[dependencies]\n";

        LockOutcome direct = locks.resolve(LockRequest.of(manifest
                + "web = { repo = \"" + upstreamBase() + "/stable\", chart = \"demo\", version = \"^1.0.0\" }\n", null, LockMode.LOCK));
        LockOutcome proxied = locks.resolve(LockRequest.of(manifest
                + "web = { repo = \"" + registry.base() + "/helm/fake\", chart = \"demo\", version = \"^1.0.0\" }\n", null, LockMode.LOCK));
        LockOutcome oci = locks.resolve(LockRequest.of(manifest
                + "web = { oci = \"oci://" + registry.hostPort() + "/helm/fake/demo\", version = \"1.1.0\" }\n", null, LockMode.LOCK));

        String expected = "sha256:" + HelmFixtures.sha256(charts.get("demo-1.1.0"));
        assertEquals(expected, digestOf(direct.lockText()));
        assertEquals(expected, digestOf(proxied.lockText()), proxied.lockText());
        assertEquals(expected, digestOf(oci.lockText()), oci.lockText());
    }

    private static String digestOf(String lockText) {
        Matcher m = Pattern.compile("digest = \"(sha256:[0-9a-f]{64})\"").matcher(lockText);
        assertTrue(m.find(), lockText);
        String digest = m.group(1);
        assertNotNull(digest);
        return digest;
    }
}
