package dev.akua.registry.remote;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RemoteClientTest {
    private WireMockServer upstream;
    private RemoteClient client;

    @BeforeEach
    void start() {
        upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        client = RemoteClient.create(loopbackConfig());
    }

    @AfterEach
    void stop() {
        client.close();
        upstream.stop();
    }

    private static RemoteConfig loopbackConfig() {
        return RemoteConfig.defaults()
                .withAddressPolicy(AddressPolicy.publicOnly().withLoopbackAllowed())
                .withReadTimeout(Duration.ofSeconds(2))
                .withTotalTimeout(Duration.ofSeconds(5));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + upstream.port() + path);
    }

    private static byte[] fetchAll(RemoteClient client, RemoteRequest request) throws Exception {
        try (RemoteResponse response = client.fetch(request)) {
            return response.bodyBytes();
        }
    }

    @Test
    void fetch_loopbackAllowed_returnsBodyAndHeaders() throws Exception {
        upstream.stubFor(get(urlEqualTo("/index.yaml")).willReturn(aResponse().withStatus(200)
                .withHeader("ETag", "\"v1\"").withBody("apiVersion: v1\n")));

        try (RemoteResponse response = client.fetch(RemoteRequest.get(uri("/index.yaml")))) {
            assertEquals(200, response.status());
            assertEquals("\"v1\"", response.etag().orElseThrow());
            assertEquals("apiVersion: v1\n", new String(response.bodyBytes(), StandardCharsets.UTF_8));
        }
        upstream.verify(getRequestedFor(urlEqualTo("/index.yaml")).withHeader("Accept-Encoding", equalTo("identity")));
    }

    @Test
    void fetch_loopbackNotAllowed_refusedWithoutAnyRequest() {
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200).withBody("secret")));
        RemoteClient strict = RemoteClient.create(loopbackConfig().withAddressPolicy(AddressPolicy.publicOnly()));

        RemoteException e = assertThrows(RemoteException.class, () -> strict.fetch(RemoteRequest.get(uri("/x"))));

        assertEquals(RemoteException.Kind.ADDRESS_REFUSED, e.kind());
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void fetch_hostNameResolvingToLoopback_refused() {
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200)));
        HostResolver fake = host -> List.of(InetAddress.getByName("127.0.0.1"));
        RemoteClient strict = RemoteClient.create(loopbackConfig()
                .withAddressPolicy(AddressPolicy.publicOnly()).withHostResolver(fake));

        RemoteException e = assertThrows(RemoteException.class,
                () -> strict.fetch(RemoteRequest.get(URI.create("http://charts.example.test:" + upstream.port() + "/"))));

        assertEquals(RemoteException.Kind.ADDRESS_REFUSED, e.kind());
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void fetch_ipv4MappedIpv6Literal_refused() {
        RemoteClient strict = RemoteClient.create(loopbackConfig().withAddressPolicy(AddressPolicy.publicOnly()));

        RemoteException e = assertThrows(RemoteException.class,
                () -> strict.fetch(RemoteRequest.get(URI.create("http://[::ffff:127.0.0.1]:" + upstream.port() + "/"))));

        assertEquals(RemoteException.Kind.ADDRESS_REFUSED, e.kind());
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void fetch_nameRebindsBetweenConnections_eachConnectionCheckedOnItsOwnAddress() throws Exception {
        // The name first resolves to the allowed 127.0.0.1, later to 127.0.0.3 (loopback, not allowed here).
        // Connection: close forces a new connection, so a new resolution, for the second fetch.
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Connection", "close").withBody("ok")));
        AtomicInteger lookups = new AtomicInteger();
        HostResolver rebinding = host -> List.of(InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.3"));
        RemoteClient guarded = RemoteClient.create(loopbackConfig()
                .withAddressPolicy(AddressPolicy.publicOnly().allowing("127.0.0.1/32")).withHostResolver(rebinding));
        URI target = URI.create("http://rebind.example.test:" + upstream.port() + "/a");

        assertArrayEquals("ok".getBytes(StandardCharsets.UTF_8), fetchAll(guarded, RemoteRequest.get(target)));
        RemoteException e = assertThrows(RemoteException.class, () -> fetchAll(guarded, RemoteRequest.get(target)));

        assertEquals(RemoteException.Kind.ADDRESS_REFUSED, e.kind());
        assertTrue(e.getMessage().contains("127.0.0.3"), e.getMessage());
        assertEquals(2, lookups.get(), "one resolution per connection, none besides");
    }

    @Test
    void fetch_redirectToMetadataAddress_refusedWithoutConnecting() {
        upstream.stubFor(get(urlEqualTo("/index.yaml")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://169.254.169.254/latest/meta-data/")));
        List<String> resolved = new ArrayList<>();
        HostResolver recording = host -> {
            resolved.add(host);
            return List.of(InetAddress.getByName(host));
        };
        RemoteClient guarded = RemoteClient.create(loopbackConfig().withHostResolver(recording));

        RemoteException e = assertThrows(RemoteException.class, () -> guarded.fetch(RemoteRequest.get(uri("/index.yaml"))));

        assertEquals(RemoteException.Kind.ADDRESS_REFUSED, e.kind());
        assertTrue(e.getMessage().contains("169.254.169.254"), e.getMessage());
        assertEquals(List.of("127.0.0.1", "169.254.169.254"), resolved);
    }

    @Test
    void fetch_redirectToLoopbackFromAllowedPeer_refused() throws Exception {
        // The repository is reachable on 127.0.0.2 (explicitly allowed); its redirect to 127.0.0.1 is not.
        WireMockServer repo = new WireMockServer(options().bindAddress("127.0.0.2").dynamicPort());
        repo.start();
        try {
            repo.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(301)
                    .withHeader("Location", "http://127.0.0.1:" + upstream.port() + "/internal")));
            upstream.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200).withBody("internal")));
            RemoteClient guarded = RemoteClient.create(loopbackConfig()
                    .withAddressPolicy(AddressPolicy.publicOnly().allowing("127.0.0.2/32")));

            RemoteException e = assertThrows(RemoteException.class,
                    () -> guarded.fetch(RemoteRequest.get(URI.create("http://127.0.0.2:" + repo.port() + "/index.yaml"))));

            assertEquals(RemoteException.Kind.ADDRESS_REFUSED, e.kind());
            assertEquals(1, repo.getAllServeEvents().size());
            upstream.verify(0, anyRequestedFor(anyUrl()));
        } finally {
            repo.stop();
        }
    }

    @Test
    void fetch_redirectToOtherOrigin_dropsCredentials() throws Exception {
        WireMockServer other = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        other.start();
        try {
            upstream.stubFor(get(urlEqualTo("/chart.tgz")).willReturn(aResponse().withStatus(307)
                    .withHeader("Location", "http://127.0.0.1:" + other.port() + "/blob")));
            other.stubFor(get(urlEqualTo("/blob")).willReturn(aResponse().withStatus(200).withBody("bytes")));

            byte[] body = fetchAll(client, RemoteRequest.get(uri("/chart.tgz")).withCredentials(RemoteCredentials.basic("alice", "s3cret")));

            assertArrayEquals("bytes".getBytes(StandardCharsets.UTF_8), body);
            upstream.verify(getRequestedFor(urlEqualTo("/chart.tgz")).withHeader("Authorization", equalTo("Basic YWxpY2U6czNjcmV0")));
            other.verify(getRequestedFor(urlEqualTo("/blob")).withHeader("Authorization", absent()));
        } finally {
            other.stop();
        }
    }

    @Test
    void fetch_redirectWithinOrigin_keepsCredentials() throws Exception {
        upstream.stubFor(get(urlEqualTo("/a")).willReturn(aResponse().withStatus(302).withHeader("Location", "/b")));
        upstream.stubFor(get(urlEqualTo("/b")).willReturn(aResponse().withStatus(200).withBody("b")));

        fetchAll(client, RemoteRequest.get(uri("/a")).withCredentials(RemoteCredentials.bearer("tok")));

        upstream.verify(getRequestedFor(urlEqualTo("/b")).withHeader("Authorization", equalTo("Bearer tok")));
    }

    @Test
    void fetch_redirectLoop_tooManyRedirects() {
        upstream.stubFor(get(urlEqualTo("/loop")).willReturn(aResponse().withStatus(302).withHeader("Location", "/loop")));
        RemoteClient limited = RemoteClient.create(loopbackConfig().withMaxRedirects(3));

        RemoteException e = assertThrows(RemoteException.class, () -> limited.fetch(RemoteRequest.get(uri("/loop"))));

        assertEquals(RemoteException.Kind.TOO_MANY_REDIRECTS, e.kind());
        upstream.verify(4, getRequestedFor(urlEqualTo("/loop")));
    }

    @Test
    void fetch_redirectToFileScheme_refused() {
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(302).withHeader("Location", "file:///etc/passwd")));

        RemoteException e = assertThrows(RemoteException.class, () -> client.fetch(RemoteRequest.get(uri("/x"))));

        assertEquals(RemoteException.Kind.SCHEME_REFUSED, e.kind());
    }

    @Test
    void checkScheme_httpsToHttp_refused() {
        RemoteException e = assertThrows(RemoteException.class, () -> RemoteClient.checkScheme(
                URI.create("http://charts.example.test/a.tgz"), URI.create("https://charts.example.test/index.yaml")));
        assertEquals(RemoteException.Kind.SCHEME_REFUSED, e.kind());
    }

    @Test
    void fetch_statuses_mapToTypedFailures() {
        upstream.stubFor(get(urlEqualTo("/404")).willReturn(aResponse().withStatus(404)));
        upstream.stubFor(get(urlEqualTo("/500")).willReturn(aResponse().withStatus(500)));
        upstream.stubFor(get(urlEqualTo("/429")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")));
        upstream.stubFor(get(urlEqualTo("/401")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"https://auth.example.test/token\"")));

        assertEquals(RemoteException.Kind.NOT_FOUND, assertThrows(RemoteException.class, () -> client.fetch(RemoteRequest.get(uri("/404")))).kind());
        assertEquals(RemoteException.Kind.UPSTREAM_ERROR, assertThrows(RemoteException.class, () -> client.fetch(RemoteRequest.get(uri("/500")))).kind());
        RemoteException limited = assertThrows(RemoteException.class, () -> client.fetch(RemoteRequest.get(uri("/429"))));
        assertEquals(RemoteException.Kind.RATE_LIMITED, limited.kind());
        assertEquals(Duration.ofSeconds(30), limited.retryAfter().orElseThrow());
        RemoteException unauthorized = assertThrows(RemoteException.class, () -> client.fetch(RemoteRequest.get(uri("/401"))));
        assertEquals(RemoteException.Kind.UNEXPECTED_STATUS, unauthorized.kind());
        assertEquals(401, unauthorized.status().orElseThrow());
        assertTrue(unauthorized.header("WWW-Authenticate").orElseThrow().startsWith("Bearer "));
    }

    @Test
    void fetch_slowUpstream_timesOut() {
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
        RemoteClient impatient = RemoteClient.create(loopbackConfig().withReadTimeout(Duration.ofMillis(300)));

        RemoteException e = assertThrows(RemoteException.class, () -> impatient.fetch(RemoteRequest.get(uri("/slow"))));

        assertEquals(RemoteException.Kind.TIMEOUT, e.kind());
    }

    @Test
    void fetch_bodyOverCap_tooLarge() {
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200).withBody(new byte[4096])));

        RemoteException e = assertThrows(RemoteException.class,
                () -> fetchAll(client, RemoteRequest.get(uri("/big")).withMaxBodyBytes(1024)));

        assertEquals(RemoteException.Kind.TOO_LARGE, e.kind());
    }

    @Test
    void fetch_declaredLengthOverCap_tooLargeBeforeReading() throws Exception {
        try (RawUpstream raw = RawUpstream.answering("HTTP/1.1 200 OK\nContent-Length: 100000000\n\n", 0)) {
            RemoteException e = assertThrows(RemoteException.class, () -> client.fetch(
                    RemoteRequest.get(URI.create("http://127.0.0.1:" + raw.port() + "/index.yaml")).withMaxBodyBytes(1024)));

            assertEquals(RemoteException.Kind.TOO_LARGE, e.kind());
            assertTrue(e.getMessage().contains("declares 100000000"), e.getMessage());
        }
    }

    @Test
    void fetch_closeDelimitedBody_readToTheEnd() throws Exception {
        try (RawUpstream raw = RawUpstream.answering("HTTP/1.1 200 OK\nConnection: close\n\n", 3000)) {
            byte[] body = fetchAll(client, RemoteRequest.get(URI.create("http://127.0.0.1:" + raw.port() + "/a")));

            assertEquals(3000, body.length);
        }
    }

    @Test
    void fetch_unlengthedBodyOverCap_tooLargeWhileStreaming() throws Exception {
        try (RawUpstream raw = RawUpstream.answering("HTTP/1.1 200 OK\nConnection: close\n\n", 1_000_000)) {
            RemoteException e = assertThrows(RemoteException.class, () -> fetchAll(client,
                    RemoteRequest.get(URI.create("http://127.0.0.1:" + raw.port() + "/index.yaml")).withMaxBodyBytes(64 * 1024)));

            assertEquals(RemoteException.Kind.TOO_LARGE, e.kind());
        }
    }

    @Test
    void fetch_bodyShorterThanContentLength_truncated() throws Exception {
        try (RawUpstream raw = RawUpstream.answering("HTTP/1.1 200 OK\nContent-Length: 5000\nConnection: close\n\n", 1000)) {
            RemoteException e = assertThrows(RemoteException.class, () -> fetchAll(client,
                    RemoteRequest.get(URI.create("http://127.0.0.1:" + raw.port() + "/chart.tgz"))));

            assertEquals(RemoteException.Kind.TRUNCATED, e.kind());
        }
    }

    @Test
    void fetch_malformedChunk_truncated() {
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

        RemoteException e = assertThrows(RemoteException.class, () -> fetchAll(client, RemoteRequest.get(uri("/x"))));

        assertTrue(e.kind() == RemoteException.Kind.TRUNCATED || e.kind() == RemoteException.Kind.CONNECTION_FAILED, e.kind().name());
    }

    @Test
    void fetch_connectionReset_connectionFailed() {
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        RemoteException e = assertThrows(RemoteException.class, () -> fetchAll(client, RemoteRequest.get(uri("/x"))));

        assertEquals(RemoteException.Kind.CONNECTION_FAILED, e.kind());
    }

    @Test
    void fetch_conditionalWithMatchingEtag_notModified() throws Exception {
        upstream.stubFor(get(urlEqualTo("/index.yaml")).withHeader("If-None-Match", equalTo("\"v1\""))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", "\"v1\"")));
        upstream.stubFor(get(urlEqualTo("/index.yaml")).withHeader("If-Modified-Since", equalTo("Wed, 21 Oct 2026 07:28:00 GMT"))
                .willReturn(aResponse().withStatus(304)));

        try (RemoteResponse byEtag = client.fetch(RemoteRequest.get(uri("/index.yaml")).withValidators("\"v1\"", null));
             RemoteResponse byDate = client.fetch(RemoteRequest.get(uri("/index.yaml")).withValidators(null, "Wed, 21 Oct 2026 07:28:00 GMT"))) {
            assertTrue(byEtag.notModified());
            assertTrue(byDate.notModified());
            InputStream body = byEtag.body();
            assertEquals(-1, body.read());
        }
    }

    @Test
    void fetch_post_sendsBodyAndContentType() throws Exception {
        upstream.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/repo.git/git-upload-pack"))
                .willReturn(aResponse().withStatus(200).withBody("ACK")));

        byte[] body = fetchAll(client, RemoteRequest.post(uri("/repo.git/git-upload-pack"), "0032want".getBytes(StandardCharsets.UTF_8))
                .withHeader("Content-Type", "application/x-git-upload-pack-request"));

        assertArrayEquals("ACK".getBytes(StandardCharsets.UTF_8), body);
        upstream.verify(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/repo.git/git-upload-pack"))
                .withHeader("Content-Type", equalTo("application/x-git-upload-pack-request"))
                .withRequestBody(equalTo("0032want")));
    }

    @Test
    void request_authorizationHeaderOrUserInfo_rejected() {
        assertThrows(IllegalArgumentException.class, () -> RemoteRequest.get(uri("/")).withHeader("Authorization", "Basic x"));
        assertThrows(IllegalArgumentException.class, () -> RemoteRequest.get(URI.create("http://u:p@127.0.0.1/")));
        assertEquals("Basic <redacted>", RemoteCredentials.basic("alice", "s3cret").toString());
    }
}
