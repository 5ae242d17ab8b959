package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.SearchResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real static-file Helm repository (Debian nginx serving a directory of {@code helm package}
 * archives and an index.yaml the test writes) proxied by the registry: a real Helm client adds,
 * updates and searches it through the registry and shows/templates its charts over OCI; the OCI
 * layer digest is {@code sha256sum} of the upstream file; after nginx stops, the cached chart and
 * the last index are still served.
 */
class HelmNginxUpstreamTest {
    @TempDir
    Path dir;
    private Path nginxDir;
    private int nginxPort;
    private boolean nginxRunning;
    private TestRegistry registry;
    private Http http;
    private final List<Path> archives = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Tools.require("nginx");
        Path repo = Files.createDirectories(dir.resolve("www/stable/charts"));
        Path work = Files.createDirectories(dir.resolve("work"));
        List<HelmFixtures.IndexEntry> entries = new ArrayList<>();
        for (String version : List.of("0.1.0", "0.2.0")) {
            Path chartDir = work.resolve(version);
            Files.createDirectories(chartDir);
            Helm chart = Helm.create().withName("webapp").withDir(chartDir).call();
            Path chartYaml = chartDir.resolve("webapp/Chart.yaml");
            Files.writeString(chartYaml, Files.readString(chartYaml).replace("version: 0.1.0", "version: " + version));
            chart.packageIt().withDestination(repo).call();
            Path tgz = repo.resolve("webapp-" + version + ".tgz");
            archives.add(tgz);
            entries.add(new HelmFixtures.IndexEntry("webapp", version, "charts/webapp-" + version + ".tgz",
                    HelmFixtures.sha256(Files.readAllBytes(tgz))));
        }
        Files.writeString(repo.getParent().resolve("index.yaml"), HelmFixtures.index(entries));
        startNginx(dir.resolve("www"));
        registry = TestRegistry.start(dir.resolve("registry"), """
                helm:
                  enabled: true
                  indexRevalidateSeconds: 0
                  spoolDir: %s
                  remote:
                    allowLoopback: true
                  upstreams:
                    - name: static
                      url: http://127.0.0.1:%d/stable/
                """.formatted(dir.resolve("spool"), nginxPort), Map.of());
        http = new Http(registry.base());
    }

    @AfterEach
    void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        stopNginx();
    }

    @Test
    void helmClient_staticNginxUpstream_searchShowTemplateThroughRegistry() throws Exception {
        Path config = dir.resolve("helm/repositories.yaml");
        String name = "static-" + UUID.randomUUID().toString().substring(0, 8);
        Helm.repo().add().withRepositoryConfig(config).withName(name).withUrl(URI.create(registry.base() + "/helm/static")).call();
        Helm.repo().update().withRepositoryConfig(config).call();
        List<SearchResult> found = Helm.search().repo().withRepositoryConfig(config).withKeyword("webapp").call();
        assertTrue(found.stream().anyMatch(r -> r.getName().equals(name + "/webapp") && r.getChartVersion().equals("0.2.0")),
                () -> "helm search found " + found.stream().map(r -> r.getName() + " " + r.getChartVersion()).toList());

        String ref = "oci://" + registry.hostPort() + "/helm/static/webapp";
        String shown = Helm.show(ref).chart().withVersion("0.1.0").plainHttp().call();
        assertTrue(shown.contains("name: webapp") && shown.contains("version: 0.1.0"), shown);
        String rendered = Helm.template(ref).withName("shop").withVersion("0.1.0").plainHttp().call();
        assertTrue(rendered.contains("kind: Deployment") && rendered.contains("name: shop-webapp"), rendered);

        String sha256sum = Tools.ok(dir, "sha256sum", archives.getFirst().toString()).split("\\s+")[0];
        JsonNode manifest = http.get("/v2/helm/static/webapp/manifests/0.1.0").json();
        assertEquals("sha256:" + sha256sum, manifest.get("layers").get(0).get("digest").asText());
    }

    @Test
    void upstreamStops_cachedChartAndLastIndexStillServed() throws Exception {
        String index = http.get("/helm/static/index.yaml").text();
        byte[] chart = http.get("/helm/static/charts/webapp-0.1.0.tgz").body();
        assertArrayEquals(Files.readAllBytes(archives.getFirst()), chart);

        stopNginx();

        Http.Resp staleIndex = http.get("/helm/static/index.yaml");
        assertEquals(200, staleIndex.status(), staleIndex.text());
        assertEquals(index, staleIndex.text());
        assertArrayEquals(chart, http.get("/helm/static/charts/webapp-0.1.0.tgz").body());
        http.get("/helm/static/charts/webapp-0.2.0.tgz").assertError(502, "UNAVAILABLE");
        String shown = Helm.show("oci://" + registry.hostPort() + "/helm/static/webapp").chart().withVersion("0.1.0").plainHttp().call();
        assertTrue(shown.contains("version: 0.1.0"), shown);
    }

    private void startNginx(Path root) throws IOException {
        nginxDir = Files.createDirectories(dir.resolve("nginx"));
        for (String t : List.of("body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            Files.createDirectories(nginxDir.resolve("tmp/" + t));
        }
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            nginxPort = s.getLocalPort();
        }
        String n = nginxDir.toString();
        Files.writeString(nginxDir.resolve("nginx.conf"), """
                user root;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 64; }
                http {
                  access_log %1$s/access.log;
                  client_body_temp_path %1$s/tmp/body;
                  proxy_temp_path %1$s/tmp/proxy;
                  fastcgi_temp_path %1$s/tmp/fastcgi;
                  uwsgi_temp_path %1$s/tmp/uwsgi;
                  scgi_temp_path %1$s/tmp/scgi;
                  types { application/x-yaml yaml; application/gzip tgz; }
                  server {
                    listen 127.0.0.1:%2$d;
                    root %3$s;
                    location / { }
                  }
                }
                """.formatted(n, nginxPort, root));
        Tools.ok(nginxDir, "nginx", "-p", n, "-e", n + "/error.log", "-c", n + "/nginx.conf");
        nginxRunning = true;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", nginxPort), 200);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("nginx did not start: " + Files.readString(nginxDir.resolve("error.log")));
                }
            }
        }
    }

    private void stopNginx() throws Exception {
        if (!nginxRunning) {
            return;
        }
        String n = nginxDir.toString();
        Tools.run(nginxDir, "nginx", "-p", n, "-e", n + "/error.log", "-c", n + "/nginx.conf", "-s", "stop");
        nginxRunning = false;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(nginxDir.resolve("nginx.pid")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", nginxPort), 200);
                Thread.sleep(50);
            } catch (IOException e) {
                return;
            }
        }
    }
}
