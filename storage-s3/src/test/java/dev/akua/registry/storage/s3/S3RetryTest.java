package dev.akua.registry.storage.s3;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.akua.registry.storage.driver.PathNotFoundException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retries against an S3 endpoint faked with WireMock (the one thing s3proxy cannot do on demand:
 * throttle and fail): throttling and 5xx are retried with backoff a bounded number of times.
 */
class S3RetryTest {
    private static final String OBJECT = "/bkt/reg/a/b";
    private static WireMockServer s3;
    private S3Driver driver;

    @BeforeAll
    static void startFake() {
        s3 = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        s3.start();
    }

    @AfterAll
    static void stopFake() {
        s3.stop();
    }

    @BeforeEach
    void start() {
        s3.resetAll();
        driver = S3Driver.create(S3Settings.builder("bkt").prefix("reg").endpoint(URI.create(s3.baseUrl()))
                .pathStyle(true).credentials("k", "s").maxAttempts(4)
                .retryDelays(Duration.ofMillis(10), Duration.ofMillis(50))
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)).build());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static String slowDown() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
    }

    @Test
    void getContent_throttledTwice_succeedsOnThirdAttempt() throws Exception {
        s3.stubFor(get(urlPathEqualTo(OBJECT)).inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody(slowDown())).willSetStateTo("once"));
        s3.stubFor(get(urlPathEqualTo(OBJECT)).inScenario("throttle").whenScenarioStateIs("once")
                .willReturn(aResponse().withStatus(500).withBody("<Error><Code>InternalError</Code></Error>")).willSetStateTo("twice"));
        s3.stubFor(get(urlPathEqualTo(OBJECT)).inScenario("throttle").whenScenarioStateIs("twice")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Length", "3").withBody(new byte[]{1, 2, 3})));
        assertArrayEquals(new byte[]{1, 2, 3}, driver.getContent("/a/b"));
        s3.verify(3, getRequestedFor(urlPathEqualTo(OBJECT)));
    }

    @Test
    void stat_alwaysThrottled_failsAfterBoundedAttempts() {
        s3.stubFor(head(urlPathEqualTo(OBJECT)).willReturn(aResponse().withStatus(503)));
        long started = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> driver.stat("/a/b"));
        assertFalse(e instanceof PathNotFoundException);
        assertTrue(e.getMessage().contains("s3://bkt/reg/a/b"), e.getMessage());
        s3.verify(4, headRequestedFor(urlPathEqualTo(OBJECT)));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 5_000, "bounded backoff");
    }

    @Test
    void getContent_notFound_isPathNotFoundWithoutRetries() {
        s3.stubFor(get(urlPathEqualTo(OBJECT)).willReturn(aResponse().withStatus(404)
                .withBody("<Error><Code>NoSuchKey</Code><Message>nope</Message></Error>")));
        s3.stubFor(get(urlPathEqualTo("/bkt")).willReturn(aResponse().withStatus(200)
                .withBody("<ListBucketResult><Name>bkt</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>")));
        assertThrows(PathNotFoundException.class, () -> driver.getContent("/a/b"));
        s3.verify(1, getRequestedFor(urlPathEqualTo(OBJECT)));
    }

    @Test
    void anyCall_serverDown_failsFastWithIOException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (S3Driver down = S3Driver.create(S3Settings.builder("bkt").endpoint(URI.create("http://127.0.0.1:" + port))
                .pathStyle(true).credentials("k", "s").maxAttempts(3).retryDelays(Duration.ofMillis(10), Duration.ofMillis(50))
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)).build())) {
            long started = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> down.putContent("/x", new byte[1]));
            assertFalse(e instanceof PathNotFoundException);
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 5_000);
        }
    }
}
