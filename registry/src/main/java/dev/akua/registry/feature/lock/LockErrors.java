package dev.akua.registry.feature.lock;

import dev.akua.registry.lockfile.error.LockException;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a failed lock resolution is answered by {@code POST /api/v1/lock}: the spec's error envelope
 * (ARCHITECTURE.md rule 5) with a coarse spec code and status, and the stable lock reason in
 * {@code detail}: {@code {"reason": "<LockException.Reason>", "dependency": "<name>|null", "exitCode": 1|2}}.
 * Input the caller can fix is a 4xx; an upstream that failed or served content breaking its own
 * rules is a 502 (fail closed, nothing pinned). Nothing here is a 500.
 */
final class LockErrors {
    private LockErrors() {
    }

    static OciException toOci(LockException e) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reason", e.reason().name());
        detail.put("dependency", e.dependency().orElse(null));
        detail.put("exitCode", e.reason().exitCode());
        return (switch (e.reason()) {
            // the akua.toml / akua.lock sent are unreadable or break akua's rules
            case MANIFEST_INVALID, LOCK_INVALID -> OciException.of(ErrorCode.MANIFEST_INVALID, e.getMessage(), detail);
            // resolvable input, but nothing satisfies it: a missing tag/version/ref upstream
            case NOT_FOUND -> OciException.of(ErrorCode.MANIFEST_UNKNOWN, e.getMessage(), detail).withStatus(422);
            // the graph or the existing lock conflicts with what was found (lock --update settles DRIFT)
            case VERSION_CONFLICT, DRIFT -> OciException.of(ErrorCode.MANIFEST_INVALID, e.getMessage(), detail).withStatus(409);
            // strict_signing: the registry refuses to pin content it cannot verify
            case SIGNATURE_REQUIRED -> OciException.of(ErrorCode.DENIED, e.getMessage(), detail).withStatus(422);
            // a source form the API cannot lock (path, replace, file:// — no workspace on the server)
            case UNSUPPORTED_SOURCE -> OciException.of(ErrorCode.UNSUPPORTED, e.getMessage(), detail).withStatus(422);
            // the upstream served content that does not match its own published digest
            case DIGEST_MISMATCH -> OciException.of(ErrorCode.DIGEST_INVALID, e.getMessage(), detail).withStatus(502);
            // the upstream served content breaking its format's rules (bombs, oversize, bad manifest)
            case REMOTE_CONTENT_INVALID -> OciException.of(ErrorCode.MANIFEST_INVALID, e.getMessage(), detail).withStatus(502);
            // the dependency's registry refused the read (401/403) with the credentials used
            case ACCESS_DENIED -> OciException.of(ErrorCode.DENIED, e.getMessage(), detail).withStatus(422);
            // 404/429/5xx/timeout/truncation/refused address upstream
            case REMOTE_FAILED -> OciException.of(ErrorCode.UNAVAILABLE, e.getMessage(), detail).withStatus(502);
            // local I/O of the server itself (not reachable from the API path in practice)
            case IO -> OciException.of(ErrorCode.UNAVAILABLE, e.getMessage(), detail);
        }).withCause(e);
    }
}
