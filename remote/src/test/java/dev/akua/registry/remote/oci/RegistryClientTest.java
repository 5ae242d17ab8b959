package dev.akua.registry.remote.oci;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.akua.registry.remote.AddressPolicy;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteConfig;
import dev.akua.registry.remote.RemoteException;

class RegistryClientTest {
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private WireMockServer upstream;
    private RemoteClient remote;

    @BeforeEach
    void start() {
        upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        remote = RemoteClient.create(RemoteConfig.defaults()
                .withAddressPolicy(AddressPolicy.publicOnly().withLoopbackAllowed())
                .withReadTimeout(Duration.ofSeconds(5)).withTotalTimeout(Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        upstream.stop();
    }

    private URI wiremock() {
        return URI.create("http://127.0.0.1:" + upstream.port());
    }

    @Test
    void manifest_bearerChallenge_exchangesBasicLoginForTokenOnceAndRetries() throws Exception {
        String realm = wiremock() + "/token";
        upstream.stubFor(get(urlEqualTo("/v2/acme/app/manifests/v1")).withHeader("Authorization", absent())
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate",
                        "Bearer realm=\"" + realm + "\",service=\"upstream\",scope=\"repository:acme/app:pull,push\"")));
        upstream.stubFor(get(urlEqualTo("/v2/acme/app/manifests/v1")).withHeader("Authorization", equalTo("Bearer tok-1"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", OCI_MANIFEST + "; charset=utf-8")
                        .withBody("{\"schemaVersion\":2}")));
        String basic = "Basic " + Base64.getEncoder().encodeToString("bot:s3cret".getBytes(StandardCharsets.UTF_8));
        upstream.stubFor(get(urlPathEqualTo("/token")).withHeader("Authorization", equalTo(basic))
                .willReturn(aResponse().withStatus(200).withBody("{\"token\":\"tok-1\",\"expires_in\":300}")));
        RegistryClient client = RegistryClient.create(remote, wiremock(), RegistryLogin.basic("bot", "s3cret"));

        ManifestResponse first = client.manifest("acme/app", "v1").orElseThrow();
        ManifestResponse second = client.manifest("acme/app", "v1").orElseThrow();

        assertEquals("{\"schemaVersion\":2}", new String(first.bytes(), StandardCharsets.UTF_8));
        assertEquals(OCI_MANIFEST, first.mediaType());
        assertArrayEquals(first.bytes(), second.bytes());
        upstream.verify(1, getRequestedFor(urlPathEqualTo("/token"))
                .withQueryParam("service", equalTo("upstream"))
                .withQueryParam("scope", equalTo("repository:acme/app:pull,push")));
        // the cached token is sent on the first attempt of the second call
        upstream.verify(1, getRequestedFor(urlEqualTo("/v2/acme/app/manifests/v1")).withHeader("Authorization", absent()));
    }

    @Test
    void manifest_tokenEndpointRefuses_failsWithItsStatus() {
        upstream.stubFor(get(urlEqualTo("/v2/acme/app/manifests/v1")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"" + wiremock() + "/token\",service=\"s\"")));
        upstream.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(401)));
        RegistryClient client = RegistryClient.create(remote, wiremock(), RegistryLogin.basic("bot", "wrong"));

        RemoteException e = assertThrows(RemoteException.class, () -> client.manifest("acme/app", "v1"));
        assertEquals(401, e.status().orElseThrow());
    }

    @Test
    void manifest_unknown_empty() throws Exception {
        upstream.stubFor(get(urlEqualTo("/v2/acme/app/manifests/missing")).willReturn(aResponse().withStatus(404)));
        RegistryClient client = RegistryClient.create(remote, wiremock(), RegistryLogin.anonymous());
        assertTrue(client.manifest("acme/app", "missing").isEmpty());
    }

    @Test
    void manifest_invalidNames_refusedBeforeAnyRequest() {
        RegistryClient client = RegistryClient.create(remote, wiremock(), RegistryLogin.anonymous());
        assertThrows(IllegalArgumentException.class, () -> client.manifest("../etc", "v1"));
        assertThrows(IllegalArgumentException.class, () -> client.manifest("acme/app", "v1/../../x"));
        assertEquals(0, upstream.getAllServeEvents().size());
    }

    @Test
    void blob_bytesDoNotHashToDigest_throwsDigestMismatchAtEnd() throws Exception {
        String digest = "sha256:" + "0".repeat(64);
        upstream.stubFor(get(urlEqualTo("/v2/acme/app/blobs/" + digest)).willReturn(aResponse().withStatus(200).withBody("tampered")));
        RegistryClient client = RegistryClient.create(remote, wiremock(), RegistryLogin.anonymous());

        try (BlobResponse blob = client.blob("acme/app", digest, 1024).orElseThrow()) {
            InputStream in = blob.body();
            DigestMismatchException e = assertThrows(DigestMismatchException.class, in::readAllBytes);
            assertEquals(digest, e.expected());
        }
    }

    @Test
    void blob_largerThanCap_failsTooLarge() throws Exception {
        byte[] body = new byte[2048];
        String digest = "sha256:" + DistributionRegistry.sha256(body);
        upstream.stubFor(get(urlEqualTo("/v2/acme/app/blobs/" + digest)).willReturn(aResponse().withStatus(200).withBody(body)));
        RegistryClient client = RegistryClient.create(remote, wiremock(), RegistryLogin.anonymous());

        RemoteException e = assertThrows(RemoteException.class, () -> {
            try (BlobResponse blob = client.blob("acme/app", digest, 1024).orElseThrow()) {
                blob.body().readAllBytes();
            }
        });
        assertEquals(RemoteException.Kind.TOO_LARGE, e.kind());
    }

    @Test
    void tags_linkPagination_followsPagesOnSameOrigin() throws Exception {
        upstream.stubFor(get(urlPathEqualTo("/v2/acme/app/tags/list")).withQueryParam("last", absent()).willReturn(aResponse().withStatus(200)
                .withHeader("Link", "</v2/acme/app/tags/list?n=1000&last=b>; rel=\"next\"")
                .withBody("{\"name\":\"acme/app\",\"tags\":[\"a\",\"b\"]}")));
        upstream.stubFor(get(urlPathEqualTo("/v2/acme/app/tags/list")).withQueryParam("last", equalTo("b")).willReturn(aResponse().withStatus(200)
                .withHeader("Link", "<http://169.254.169.254/v2/acme/app/tags/list?last=c>; rel=\"next\"")
                .withBody("{\"name\":\"acme/app\",\"tags\":[\"c\"]}")));
        RegistryClient client = RegistryClient.create(remote, wiremock(), RegistryLogin.anonymous());

        assertEquals(List.of("a", "b", "c"), client.tags("acme/app", 100));
        assertThrows(java.io.IOException.class, () -> client.tags("acme/app", 2));
    }

    @Test
    void referrers_registryWithoutTheApi_empty() throws Exception {
        String digest = "sha256:" + "a".repeat(64);
        upstream.stubFor(get(urlEqualTo("/v2/acme/app/referrers/" + digest)).willReturn(aResponse().withStatus(404)));
        RegistryClient client = RegistryClient.create(remote, wiremock(), RegistryLogin.anonymous());
        assertEquals(Optional.empty(), client.referrers("acme/app", digest));
    }

    @Test
    void create_baseWithPathOrCredentials_refused() {
        assertThrows(IllegalArgumentException.class, () -> RegistryClient.create(remote, URI.create("http://h/v2"), RegistryLogin.anonymous()));
        assertThrows(IllegalArgumentException.class, () -> RegistryClient.create(remote, URI.create("http://u:p@h"), RegistryLogin.anonymous()));
        assertThrows(IllegalArgumentException.class, () -> RegistryClient.create(remote, URI.create("ftp://h"), RegistryLogin.anonymous()));
    }

    @Test
    void nextPage_otherOrigin_notFollowed() {
        URI current = URI.create("http://127.0.0.1:5000/v2/_catalog?n=10");
        assertNull(RegistryClient.nextPage("<http://127.0.0.2:5000/v2/_catalog?last=x>; rel=\"next\"", current));
        assertEquals(URI.create("http://127.0.0.1:5000/v2/_catalog?last=x"), RegistryClient.nextPage("</v2/_catalog?last=x>; rel=\"next\"", current));
        assertNull(RegistryClient.nextPage("</v2/_catalog?last=x>; rel=\"prev\"", current));
    }

    @Test
    void readsFromDistributionWithBasicAuth_manifestBlobTagsCatalog(@TempDir Path dir) throws Exception {
        try (DistributionRegistry registry = new DistributionRegistry(dir, "bot", "s3cret")) {
            byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
            byte[] layer = new byte[300_000];
            new java.util.Random(7).nextBytes(layer);
            String c = registry.pushBlob("acme/app", config);
            String l = registry.pushBlob("acme/app", layer);
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                    + c + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
                    + l + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
            String m = registry.pushManifest("acme/app", "v1", manifest, OCI_MANIFEST);

            RegistryClient client = RegistryClient.create(remote, registry.base(), RegistryLogin.basic("bot", "s3cret"));
            ManifestResponse got = client.manifest("acme/app", "v1").orElseThrow();
            assertArrayEquals(manifest, got.bytes());
            assertEquals(m, got.digestHeader());
            assertEquals(m, client.headManifest("acme/app", "v1").orElseThrow().digest());
            try (BlobResponse blob = client.blob("acme/app", l, layer.length).orElseThrow()) {
                assertArrayEquals(layer, blob.body().readAllBytes());
                assertEquals(layer.length, blob.size());
            }
            assertEquals(layer.length, client.headBlob("acme/app", l).orElseThrow());
            assertEquals(List.of("v1"), client.tags("acme/app", 10));
            assertEquals(List.of("acme/app"), client.catalog(10));
            assertTrue(client.manifest("acme/app", "nope").isEmpty());

            RegistryClient wrong = RegistryClient.create(remote, registry.base(), RegistryLogin.basic("bot", "nope"));
            RemoteException e = assertThrows(RemoteException.class, () -> wrong.manifest("acme/app", "v1"));
            assertEquals(401, e.status().orElseThrow());
            RegistryClient anonymous = RegistryClient.create(remote, registry.base(), RegistryLogin.anonymous());
            assertThrows(RemoteException.class, () -> anonymous.tags("acme/app", 10));
        }
    }
}
