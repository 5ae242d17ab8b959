package dev.akua.registry.lockfile.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.DigestAlgorithm;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Manifest;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteCredentials;
import dev.akua.registry.remote.RemoteException;
import dev.akua.registry.remote.RemoteRequest;
import dev.akua.registry.remote.RemoteResponse;

/**
 * Reads from one OCI repository over the distribution API with {@link RemoteClient}: manifests
 * (4 MiB cap, digest computed over the bytes as served), the tag list (paginated, capped) and blobs
 * (verified against their digest while streaming). Anonymous, with the bearer-token exchange
 * registries such as ghcr.io require for anonymous pulls ({@code WWW-Authenticate: Bearer realm=…});
 * the token is kept for this reader only.
 */
final class RegistryReader {
    static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    static final int MAX_TAGS = 10_000;
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"|([A-Za-z]+)=([^,\\s]*)");
    private static final String MANIFEST_ACCEPT = MediaTypes.OCI_MANIFEST + ", " + MediaTypes.DOCKER_MANIFEST;

    private final RemoteClient remote;
    private final OciRef ref;
    private final ManifestParser manifests = new ManifestParser();
    private final JsonMapper json;
    private RemoteCredentials token;

    RegistryReader(RemoteClient remote, OciRef ref) {
        this.remote = remote;
        this.ref = ref;
        this.json = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()).build();
    }

    /** The manifest under a tag or digest; null when the registry answers 404. */
    Manifest manifest(String reference) throws IOException {
        RemoteRequest request = RemoteRequest.get(ref.uri("/manifests/" + reference))
                .withHeader("Accept", MANIFEST_ACCEPT).withMaxBodyBytes(MAX_MANIFEST_BYTES);
        byte[] raw;
        String contentType;
        try (RemoteResponse response = fetch(request)) {
            raw = response.bodyBytes();
            contentType = response.contentType().orElse(null);
        } catch (RemoteException e) {
            if (e.kind() == RemoteException.Kind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
        Digest digest = Digest.of(DigestAlgorithm.SHA256, raw);
        try {
            return new Manifest(raw, digest, manifests.parse(raw, contentType));
        } catch (OciException e) {
            throw new IOException("manifest " + ref.dockerReference() + ":" + reference + " is invalid: " + e.getMessage(), e);
        }
    }

    /** All tags, following {@code Link} pagination, at most {@link #MAX_TAGS}. */
    List<String> tags() throws IOException {
        List<String> tags = new ArrayList<>();
        URI next = ref.uri("/tags/list?n=1000");
        for (int page = 0; next != null; page++) {
            if (page > MAX_TAGS / 100) {
                throw new IOException("tag list of " + ref.dockerReference() + " has too many pages");
            }
            JsonNode body;
            String link;
            try (RemoteResponse response = fetch(RemoteRequest.get(next).withHeader("Accept", "application/json").withMaxBodyBytes(4 << 20))) {
                body = json.readTree(response.body());
                link = response.header("link").orElse(null);
            }
            JsonNode list = body == null ? null : body.get("tags");
            if (list != null && list.isArray()) {
                for (JsonNode tag : list) {
                    if (tag.isTextual()) {
                        tags.add(tag.textValue());
                    }
                    if (tags.size() > MAX_TAGS) {
                        throw new IOException(ref.dockerReference() + " has more than " + MAX_TAGS + " tags");
                    }
                }
            }
            next = nextPage(link, next);
        }
        return tags;
    }

    /** A blob, verified against {@code digest} at EOF; the caller reads it to the end and closes it. */
    InputStream blob(Digest digest, long maxBytes) throws IOException {
        RemoteResponse response = fetch(RemoteRequest.get(ref.uri("/blobs/" + digest)).withMaxBodyBytes(maxBytes));
        return new VerifyingStream(response, digest);
    }

    byte[] smallBlob(Digest digest, int maxBytes) throws IOException {
        try (InputStream in = blob(digest, maxBytes)) {
            return in.readAllBytes();
        }
    }

    private RemoteResponse fetch(RemoteRequest request) throws IOException {
        RemoteRequest withToken = token == null ? request : request.withCredentials(token);
        try {
            return remote.fetch(withToken);
        } catch (RemoteException e) {
            if (token != null || e.status().orElse(0) != 401) {
                throw e;
            }
            String challenge = e.header("www-authenticate").orElse("");
            if (!challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw e;
            }
            token = RemoteCredentials.bearer(exchange(challenge.substring(7)));
            return remote.fetch(request.withCredentials(token));
        }
    }

    /** The anonymous token exchange of the distribution token spec: GET realm?service=&scope=. */
    private String exchange(String params) throws IOException {
        Map<String, String> values = new HashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(params);
        while (m.find()) {
            String key = (m.group(1) != null ? m.group(1) : m.group(3)).toLowerCase(Locale.ROOT);
            values.put(key, m.group(2) != null ? m.group(2) : m.group(4));
        }
        String realm = values.get("realm");
        if (realm == null || realm.isBlank()) {
            throw new IOException("registry " + ref.registry() + " sent a bearer challenge without a realm");
        }
        StringBuilder uri = new StringBuilder(realm);
        char sep = realm.contains("?") ? '&' : '?';
        for (String key : List.of("service", "scope")) {
            if (values.get(key) != null) {
                uri.append(sep).append(key).append('=').append(URLEncoder.encode(values.get(key), StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        JsonNode body;
        try (RemoteResponse response = remote.fetch(RemoteRequest.get(URI.create(uri.toString())).withMaxBodyBytes(64 * 1024))) {
            body = json.readTree(response.body());
        }
        String value = body == null ? "" : body.path("token").asText("");
        if (value.isEmpty()) {
            value = body == null ? "" : body.path("access_token").asText("");
        }
        if (value.isEmpty()) {
            throw new IOException("token endpoint of " + ref.registry() + " returned no token");
        }
        return value;
    }

    private static URI nextPage(String link, URI current) {
        if (link == null) {
            return null;
        }
        int open = link.indexOf('<');
        int close = link.indexOf('>');
        if (open < 0 || close <= open || !link.contains("rel=\"next\"")) {
            return null;
        }
        URI next = current.resolve(link.substring(open + 1, close));
        return next.getHost() != null && next.getHost().equalsIgnoreCase(current.getHost()) ? next : null;
    }

    /** Hashes while streaming; at EOF the digest must equal the one asked for. */
    private static final class VerifyingStream extends FilterInputStream {
        private final RemoteResponse response;
        private final Digest expected;
        private final MessageDigest md;
        private boolean verified;

        VerifyingStream(RemoteResponse response, Digest expected) {
            super(response.body());
            this.response = response;
            this.expected = expected;
            this.md = expected.algorithm().newMessageDigest();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                md.update(b, off, n);
            } else if (n < 0 && !verified) {
                Digest actual = Digest.fromHash(expected.algorithm(), md.digest());
                if (!actual.equals(expected)) {
                    throw new BlobDigestMismatch("blob " + expected + " arrived with digest " + actual);
                }
                verified = true;
            }
            return n;
        }

        @Override
        public void close() {
            response.close();
        }
    }

    /** A blob whose bytes do not hash to the digest it was requested by. */
    static final class BlobDigestMismatch extends IOException {
        BlobDigestMismatch(String message) {
            super(message);
        }
    }
}
