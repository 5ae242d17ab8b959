package dev.akua.registry.oci.error;

import java.util.Map;
import java.util.Objects;

/**
 * A failure that maps to one entry of the spec's error envelope
 * ({@code {"errors":[{"code","message","detail"}]}}). Thrown by model, storage and service code;
 * turned into a response once, by the HTTP layer's error handler.
 */
public final class OciException extends RuntimeException {
    private final ErrorCode code;
    private final int status;
    private final Object detail;
    private final Map<String, String> headers;

    private OciException(ErrorCode code, int status, String message, Object detail,
                         Map<String, String> headers, Throwable cause) {
        super(message == null ? code.description() : message, cause, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.status = status;
        this.detail = detail;
        this.headers = Map.copyOf(headers);
    }

    public static OciException of(ErrorCode code, String message) {
        return new OciException(code, code.status(), message, null, Map.of(), null);
    }

    public static OciException of(ErrorCode code, String message, Object detail) {
        return new OciException(code, code.status(), message, detail, Map.of(), null);
    }

    /** Same code, another status: only where the spec names one (413, 416). */
    public OciException withStatus(int newStatus) {
        return new OciException(code, newStatus, getMessage(), detail, headers, getCause());
    }

    /** Response headers that must go out with the error (e.g. {@code Range} with a 416). */
    public OciException withHeader(String name, String value) {
        var copy = new java.util.LinkedHashMap<>(headers);
        copy.put(name, value);
        return new OciException(code, status, getMessage(), detail, copy, getCause());
    }

    public OciException withCause(Throwable cause) {
        return new OciException(code, status, getMessage(), detail, headers, cause);
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** Optional structured detail for the envelope; any JSON-serialisable value, or null. */
    public Object detail() {
        return detail;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
