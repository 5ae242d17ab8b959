package dev.akua.registry.feature.lock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.lockfile.CallerRegistry;
import dev.akua.registry.lockfile.LockMode;
import dev.akua.registry.lockfile.LockRequest;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/lock}:
 * <pre>{"manifest": "&lt;akua.toml text&gt;", "lock": "&lt;akua.lock text&gt;"?, "mode": "lock"|"check"|"update"?, "publicKey": "&lt;PEM&gt;"?}</pre>
 * {@code mode} defaults to {@code lock}; {@code resolve} is accepted as its synonym. {@code publicKey}
 * is the text of the workspace's {@code [signing].cosign_public_key} (the server cannot read the
 * client's files). Unknown fields are refused so a misspelt field is not silently ignored.
 */
record LockApiRequest(String manifest, Optional<String> lock, LockMode mode, Optional<String> publicKey) {
    private static final Set<String> FIELDS = Set.of("manifest", "lock", "mode", "publicKey");

    LockApiRequest {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    static LockApiRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid("the request body must be a JSON object {\"manifest\": \"<akua.toml>\", \"lock\"?, \"mode\"?, \"publicKey\"?}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid("unknown field `" + name + "`; the fields are manifest, lock, mode, publicKey");
            }
        }
        String manifest = text(body, "manifest").orElseThrow(() -> invalid("`manifest` (the akua.toml text) is required"));
        String modeText = text(body, "mode").orElse("lock");
        LockMode mode = switch (modeText.toLowerCase(Locale.ROOT)) {
            case "lock", "resolve" -> LockMode.LOCK;
            case "check" -> LockMode.CHECK;
            case "update" -> LockMode.UPDATE;
            default -> throw invalid("`mode` must be lock, check or update, not `" + modeText + "`");
        };
        return new LockApiRequest(manifest, text(body, "lock"), mode, text(body, "publicKey"));
    }

    /** @param caller how the caller reached this registry, with its credentials */
    LockRequest toLockRequest(CallerRegistry caller) {
        return new LockRequest(manifest, lock, mode, Optional.empty(), publicKey, Optional.of(caller));
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw invalid("`" + field + "` must be a string");
        }
        return Optional.of(v.asText());
    }

    private static OciException invalid(String message) {
        return OciException.of(ErrorCode.MANIFEST_INVALID, message);
    }
}
