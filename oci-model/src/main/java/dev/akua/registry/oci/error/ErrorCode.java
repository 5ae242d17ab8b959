package dev.akua.registry.oci.error;

/**
 * The error codes of the OCI distribution spec ("Error Codes", code-1 … code-14), each with the HTTP
 * status it is answered with by default. This is the only place a status is chosen for a code;
 * handlers raise an {@link OciException} naming the code, and the HTTP layer writes the envelope.
 *
 * <p>A few situations need a status other than the default (413 for an oversized manifest, 416 for
 * an out-of-order chunk); {@link OciException} carries such an override explicitly.
 */
public enum ErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    /** Distribution answers 400 for a manifest that references unknown content; we follow it. */
    MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    SIZE_INVALID(400, "provided length did not match content length"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    /** Used for disabled operations (deletes), where the spec allows 400 or 405; we answer 405. */
    UNSUPPORTED(405, "the operation is unsupported"),
    TOOMANYREQUESTS(429, "too many requests"),
    /**
     * Not in the spec's table: Distribution's code for "the backend is down, try again", answered
     * with 503 and {@code Retry-After}. Clients treat any 5xx as retryable; the code only names it.
     */
    UNAVAILABLE(503, "service unavailable");

    private final int status;
    private final String description;

    ErrorCode(int status, String description) {
        this.status = status;
        this.description = description;
    }

    /** The HTTP status this code is answered with unless an exception overrides it. */
    public int status() {
        return status;
    }

    /** The spec's one-line description, used as the message when none is given. */
    public String description() {
        return description;
    }
}
