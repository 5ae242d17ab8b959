package dev.akua.registry.remote;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLException;

/** Maps what the HTTP stack throws to typed {@link RemoteException}s. */
final class Failures {
    private Failures() {
    }

    /** A failure while connecting or reading the response head. */
    static RemoteException connecting(URI uri, Throwable failure) {
        RemoteException ours = find(failure, RemoteException.class);
        if (ours != null) {
            return new RemoteException(ours.kind(), uri, -1, Map.of(), ours.getMessage() + " (" + uri + ")", ours);
        }
        if (find(failure, SocketTimeoutException.class) != null) {
            return new RemoteException(RemoteException.Kind.TIMEOUT, uri, "timed out talking to " + uri, failure);
        }
        if (find(failure, UnknownHostException.class) != null) {
            return new RemoteException(RemoteException.Kind.CONNECTION_FAILED, uri, "cannot resolve host of " + uri, failure);
        }
        if (find(failure, SSLException.class) != null) {
            return new RemoteException(RemoteException.Kind.CONNECTION_FAILED, uri, "TLS failed with " + uri + ": "
                    + find(failure, SSLException.class).getMessage(), failure);
        }
        if (find(failure, ConnectException.class) != null) {
            return new RemoteException(RemoteException.Kind.CONNECTION_FAILED, uri, "cannot connect to " + uri, failure);
        }
        return new RemoteException(RemoteException.Kind.CONNECTION_FAILED, uri,
                "request to " + uri + " failed: " + failure.getClass().getSimpleName() + ": " + failure.getMessage(), failure);
    }

    /** A failure after the response head arrived: the body is incomplete. */
    static RemoteException midBody(URI uri, Throwable failure) {
        if (failure instanceof RemoteException ours) {
            return ours;
        }
        if (find(failure, SocketTimeoutException.class) != null) {
            return new RemoteException(RemoteException.Kind.TIMEOUT, uri, "timed out reading the body of " + uri, failure);
        }
        return new RemoteException(RemoteException.Kind.TRUNCATED, uri,
                "body of " + uri + " broke off: " + failure.getClass().getSimpleName() + ": " + failure.getMessage(), failure);
    }

    /** A non-success status, fail closed; keeps the (bounded) response headers for callers such as a 401 handler. */
    static RemoteException status(URI uri, int status, Map<String, List<String>> headers) {
        RemoteException.Kind kind;
        if (status == 404 || status == 410) {
            kind = RemoteException.Kind.NOT_FOUND;
        } else if (status == 429) {
            kind = RemoteException.Kind.RATE_LIMITED;
        } else if (status >= 500 && status <= 599) {
            kind = RemoteException.Kind.UPSTREAM_ERROR;
        } else {
            kind = RemoteException.Kind.UNEXPECTED_STATUS;
        }
        return new RemoteException(kind, uri, status, headers, uri + " answered " + status, null);
    }

    static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 16; depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t instanceof UncheckedIOException u && u.getCause() != null) {
                t = u.getCause();
            } else {
                t = t.getCause();
            }
        }
        return null;
    }
}
