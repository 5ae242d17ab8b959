package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A plain HTTP/1.1 client for black-box tests, with assertions on the spec's error envelope. */
public final class Http {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final String base;
    private final String authorization;

    public Http(String base) {
        this(base, null);
    }

    /** Every request carries {@code Authorization: <authorization>} (null: none). */
    public Http(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    public record Resp(int status, HttpHeaders headers, byte[] body) {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public List<String> headerValues(String name) {
            return headers.allValues(name);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("response is not JSON: " + text(), e);
            }
        }

        /** Asserts the spec's error envelope with this code as its first entry. */
        public Resp assertError(int expectedStatus, String code) {
            assertEquals(expectedStatus, status, () -> "status; body: " + text());
            assertTrue(header("Content-Type").orElse("").startsWith("application/json"), "error body is JSON");
            JsonNode errors = json().get("errors");
            assertTrue(errors != null && errors.isArray() && !errors.isEmpty(), () -> "error envelope: " + text());
            assertEquals(code, errors.get(0).get("code").asText(), () -> "error code; body: " + text());
            assertTrue(errors.get(0).get("code").asText().matches("[A-Z_]+"));
            return this;
        }
    }

    public String url(String pathOrUrl) {
        return pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl;
    }

    public Resp send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> r = client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Resp(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)));
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    public Resp get(String path, String... headers) {
        HttpRequest.Builder b = request(path).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    public Resp head(String path) {
        return send(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    public Resp delete(String path) {
        return send(request(path).DELETE());
    }

    public Resp post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public Resp post(String path, byte[] body) {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Resp put(String path, byte[] body, String contentType) {
        HttpRequest.Builder b = request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    public Resp patch(String path, byte[] body, String contentRange) {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentRange != null) {
            b.header("Content-Range", contentRange);
        }
        return send(b);
    }

    /** Resolves a (possibly relative) Location against the registry base. */
    public String resolve(String location) {
        return location.startsWith("http") ? location : base + location;
    }

    public static String withQuery(String location, String query) {
        return location + (location.contains("?") ? "&" : "?") + query;
    }
}
