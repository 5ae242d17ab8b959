package dev.akua.registry.feature.lock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.akua.registry.lockfile.LockMode;
import dev.akua.registry.lockfile.LockRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The CLI's side of {@code POST /api/v1/lock}: sends a workspace's texts to a registry and reads
 * the answer. The registry is named by the user, so it is not subject to the resolver's address
 * policy; its answer is still bounded.
 */
final class LockApiClient {
    /** A lock text and its report are small; anything larger is refused. */
    static final int MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
    /** Resolution of a large graph can take minutes upstream; the server bounds each fetch itself. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final URI endpoint;
    private final Optional<String> bearerToken;

    /** What the registry answered: the status and the JSON document (a lock result or an error envelope). */
    record Answer(int status, JsonNode body) {
    }

    LockApiClient(URI registry, Optional<String> bearerToken) {
        String base = registry.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        this.endpoint = URI.create(base + LockApi.PATH);
        this.bearerToken = bearerToken;
    }

    URI endpoint() {
        return endpoint;
    }

    Answer lock(LockRequest request) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.put("manifest", request.manifestText());
        request.priorLockText().ifPresent(t -> body.put("lock", t));
        body.put("mode", request.mode() == LockMode.LOCK ? "lock" : request.mode().name().toLowerCase(Locale.ROOT));
        request.publicKeyPem().ifPresent(k -> body.put("publicKey", k));
        HttpRequest.Builder post = HttpRequest.newBuilder(endpoint)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        bearerToken.ifPresent(t -> post.header("Authorization", "Bearer " + t));
        HttpResponse<InputStream> response = http.send(post.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
        }
        if (bytes.length > MAX_RESPONSE_BYTES) {
            throw new IOException("the registry's answer is larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
        JsonNode parsed;
        try {
            parsed = json.readTree(bytes);
        } catch (IOException e) {
            throw new IOException("the registry answered " + response.statusCode() + " without a JSON body (is " + endpoint
                    + " an akua-registry with the lock API enabled?)");
        }
        if (parsed == null || !parsed.isObject()) {
            throw new IOException("the registry answered " + response.statusCode() + " with a JSON body that is not an object");
        }
        return new Answer(response.statusCode(), parsed);
    }
}
