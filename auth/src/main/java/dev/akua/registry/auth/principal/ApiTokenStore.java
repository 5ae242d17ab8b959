package dev.akua.registry.auth.principal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.akua.registry.auth.permission.PatternGrant;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Robot and personal tokens, kept as JSON in one file that the CLI edits and the server re-reads
 * when it is replaced ({@link FileSnapshot}), so a revocation takes effect on the next request.
 *
 * <p>A secret reads {@code akr_<id>_<64 hex>} (robot) or {@code akp_<id>_<64 hex>} (personal):
 * the prefix lets secret scanners and this registry recognise it, the id finds the entry without
 * trying every hash, the 256 hex-encoded random bits are the secret. The file holds only
 * {@code sha256:<hex>} of the whole string, compared in constant time.
 */
public final class ApiTokenStore {
    private static final Pattern SECRET = Pattern.compile("ak([rp])_([a-z2-7]{16})_([0-9a-f]{64})");
    private static final Pattern ROBOT_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static final HexFormat HEX = HexFormat.of();
    private static final int FORMAT_VERSION = 1;

    /** The outcome of presenting a secret. */
    public sealed interface Lookup {
        /** The secret belongs to an active token. */
        record Valid(ApiToken token) implements Lookup {
        }

        /** Unknown id, wrong secret, expired or revoked; {@code reason} is for logs, not for clients. */
        record Invalid(String reason) implements Lookup {
        }
    }

    /**
     * A token just created, with the only copy of its secret.
     *
     * @param token  the stored entry
     * @param secret the secret text, to be shown once
     */
    public record Created(ApiToken token, String secret) {
        @Override
        public String toString() {
            return "Created[" + token.id() + "]";
        }
    }

    private final Path path;
    private final FileSnapshot<Map<String, ApiToken>> file;
    private final Clock clock;
    private final SecureRandom random;
    private final ObjectMapper json;
    private final byte[] dummyHash;

    public ApiTokenStore(Path path, Clock clock, SecureRandom random) {
        this.path = Objects.requireNonNull(path, "path");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        this.file = new FileSnapshot<>(path, this::parse);
        byte[] noise = new byte[32];
        random.nextBytes(noise);
        this.dummyHash = noise;
    }

    /** True if the text has the shape of one of our secrets (so it is not a JWT or a password). */
    public static boolean looksLikeSecret(String text) {
        return text != null && text.length() == 85 && SECRET.matcher(text).matches();
    }

    /**
     * Checks a presented secret. Unknown ids cost the same hash and comparison as known ones.
     */
    public Lookup authenticate(String presented) {
        if (!looksLikeSecret(presented)) {
            return new Lookup.Invalid("not a token secret");
        }
        var m = SECRET.matcher(presented);
        m.matches();
        ApiToken token = file.get().get(m.group(2));
        byte[] actual = sha256(presented);
        byte[] expected = token == null ? dummyHash : parseHash(token.secretHash());
        boolean same = MessageDigest.isEqual(actual, expected);
        if (token == null || !same) {
            return new Lookup.Invalid("unknown token or wrong secret");
        }
        ApiToken.Kind prefixKind = m.group(1).equals("r") ? ApiToken.Kind.ROBOT : ApiToken.Kind.PERSONAL;
        if (prefixKind != token.kind()) {
            return new Lookup.Invalid("token kind does not match its prefix");
        }
        return switch (token.status(clock.instant())) {
            case ACTIVE -> new Lookup.Valid(token);
            case EXPIRED -> new Lookup.Invalid("token " + token.id() + " expired");
            case REVOKED -> new Lookup.Invalid("token " + token.id() + " revoked");
        };
    }

    public Optional<ApiToken> byId(String id) {
        return Optional.ofNullable(file.get().get(id));
    }

    /** Every token, revoked and expired ones included, oldest first. */
    public List<ApiToken> list() {
        return List.copyOf(file.get().values());
    }

    /**
     * Creates a token and writes it to the file.
     *
     * @param kind        robot or personal
     * @param name        robot name (unique among robots not revoked) or owning user
     * @param scopes      robot rights / personal restriction
     * @param expires     end of validity, or empty for none
     * @param description free text
     */
    public Created create(ApiToken.Kind kind, String name, List<PatternGrant> scopes, Optional<Instant> expires, String description) {
        Objects.requireNonNull(kind, "kind");
        if (kind == ApiToken.Kind.ROBOT && (name == null || !ROBOT_NAME.matcher(name).matches())) {
            throw new IllegalArgumentException("invalid robot name '" + name + "': use 1-64 of a-z 0-9 . _ - starting with a letter or digit");
        }
        if (kind == ApiToken.Kind.ROBOT && scopes.isEmpty()) {
            throw new IllegalArgumentException("a robot needs at least one scope, e.g. team-a/**:pull,push");
        }
        Instant now = clock.instant();
        if (expires.isPresent() && !expires.get().isAfter(now)) {
            throw new IllegalArgumentException("expiry " + expires.get() + " is not in the future");
        }
        String desc = description == null ? "" : description.strip();
        if (desc.length() > 200 || desc.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("description: at most 200 printable characters");
        }
        Created[] result = new Created[1];
        AtomicFile.update(path, text -> {
            Map<String, ApiToken> tokens = new LinkedHashMap<>(parse(text));
            if (kind == ApiToken.Kind.ROBOT && tokens.values().stream().anyMatch(t ->
                    t.kind() == ApiToken.Kind.ROBOT && t.name().equals(name) && t.revoked().isEmpty())) {
                throw new IllegalArgumentException("robot '" + name + "' already exists; revoke it first or pick another name");
            }
            String id;
            do {
                id = randomId();
            } while (tokens.containsKey(id));
            byte[] bits = new byte[32];
            random.nextBytes(bits);
            String secret = (kind == ApiToken.Kind.ROBOT ? "akr_" : "akp_") + id + "_" + HEX.formatHex(bits);
            ApiToken token = new ApiToken(id, kind, name, desc, "sha256:" + HEX.formatHex(sha256(secret)),
                    scopes, now, expires, Optional.empty());
            tokens.put(id, token);
            result[0] = new Created(token, secret);
            return format(tokens);
        });
        return result[0];
    }

    /**
     * Revokes the token with this id, or every active token of the robot with this name.
     *
     * @return the tokens revoked now (empty if none matched or all were already revoked)
     */
    public List<ApiToken> revoke(String idOrRobotName) {
        List<ApiToken> revoked = new ArrayList<>();
        AtomicFile.update(path, text -> {
            Map<String, ApiToken> tokens = new LinkedHashMap<>(parse(text));
            Instant now = clock.instant();
            tokens.replaceAll((id, t) -> {
                boolean match = id.equals(idOrRobotName)
                        || (t.kind() == ApiToken.Kind.ROBOT && t.name().equals(idOrRobotName));
                if (match && t.revoked().isEmpty()) {
                    ApiToken r = t.revokedAt(now);
                    revoked.add(r);
                    return r;
                }
                return t;
            });
            return revoked.isEmpty() ? text : format(tokens);
        });
        return revoked;
    }

    private String randomId() {
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            sb.append(BASE32.charAt(random.nextInt(32)));
        }
        return sb.toString();
    }

    private Map<String, ApiToken> parse(String text) {
        Map<String, ApiToken> tokens = new LinkedHashMap<>();
        if (text.isBlank()) {
            return tokens;
        }
        try {
            JsonNode root = json.readTree(text);
            if (root.path("version").asInt() != FORMAT_VERSION || !root.path("tokens").isArray()) {
                throw new IllegalArgumentException(path + ": not a version " + FORMAT_VERSION + " token file");
            }
            for (JsonNode n : root.get("tokens")) {
                List<PatternGrant> scopes = new ArrayList<>();
                n.path("scopes").forEach(s -> scopes.add(PatternGrant.parse(s.asText())));
                ApiToken t = new ApiToken(
                        text(n, "id"), ApiToken.Kind.parse(text(n, "kind")), text(n, "name"),
                        n.path("description").asText(""), text(n, "hash"), scopes,
                        Instant.parse(text(n, "created")), optionalInstant(n, "expires"), optionalInstant(n, "revoked"));
                parseHash(t.secretHash());
                tokens.put(t.id(), t);
            }
            return tokens;
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException(path + ": unreadable token file: " + e.getMessage(), e);
        }
    }

    private String format(Map<String, ApiToken> tokens) {
        ObjectNode root = json.createObjectNode();
        root.put("version", FORMAT_VERSION);
        ArrayNode list = root.putArray("tokens");
        for (ApiToken t : tokens.values()) {
            ObjectNode n = list.addObject();
            n.put("id", t.id());
            n.put("kind", t.kind().wireName());
            n.put("name", t.name());
            n.put("description", t.description());
            n.put("hash", t.secretHash());
            ArrayNode s = n.putArray("scopes");
            t.scopes().forEach(g -> s.add(g.toString()));
            n.put("created", t.created().toString());
            n.put("expires", t.expires().map(Instant::toString).orElse(null));
            n.put("revoked", t.revoked().map(Instant::toString).orElse(null));
        }
        try {
            return json.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("token entry without " + field);
        }
        return v.asText();
    }

    private static Optional<Instant> optionalInstant(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(Instant.parse(v.asText()));
    }

    private static byte[] parseHash(String stored) {
        if (!stored.startsWith("sha256:") || stored.length() != 7 + 64) {
            throw new IllegalArgumentException("token hash must be sha256:<64 hex>");
        }
        return HEX.parseHex(stored.substring(7));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
