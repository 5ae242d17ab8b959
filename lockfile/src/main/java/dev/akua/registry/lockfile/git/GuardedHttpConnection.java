package dev.akua.registry.lockfile.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Proxy;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;

import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteException;
import dev.akua.registry.remote.RemoteRequest;
import dev.akua.registry.remote.RemoteResponse;

/**
 * JGit's smart-HTTP transport routed through {@link RemoteClient}, so git over http(s) gets the same
 * address policy (checked on the connected address), redirect checks, caps and timeouts as every
 * other remote fetch. Installed per transport ({@code TransportHttp#setHttpConnectionFactory}),
 * never globally. Requests carry no credentials; TLS verification cannot be weakened.
 */
final class GuardedHttpConnection implements HttpConnection {
    /** Headers the remote client sets itself or that must not be forwarded. */
    private static final Set<String> DROPPED = Set.of("authorization", "host", "content-length", "transfer-encoding",
            "connection", "te", "upgrade", "proxy-authorization", "if-none-match", "if-modified-since", "accept-encoding",
            "user-agent", "expect");

    private final RemoteClient remote;
    private final URL url;
    private final long maxResponseBytes;
    private final Map<String, String> requestHeaders = new LinkedHashMap<>();
    private String method = "GET";
    private ByteArrayOutputStream body;
    private RemoteResponse response;
    private int status = -1;
    private Map<String, List<String>> responseHeaders = Map.of();
    private InputStream responseBody = InputStream.nullInputStream();

    GuardedHttpConnection(RemoteClient remote, URL url, long maxResponseBytes) {
        this.remote = remote;
        this.url = url;
        this.maxResponseBytes = maxResponseBytes;
    }

    static HttpConnectionFactory factory(RemoteClient remote, long maxResponseBytes) {
        return new HttpConnectionFactory() {
            @Override
            public HttpConnection create(URL url) {
                return new GuardedHttpConnection(remote, url, maxResponseBytes);
            }

            @Override
            public HttpConnection create(URL url, Proxy proxy) {
                return new GuardedHttpConnection(remote, url, maxResponseBytes);
            }
        };
    }

    @Override
    public void connect() throws IOException {
        if (status >= 0) {
            return;
        }
        RemoteRequest request;
        try {
            request = method.equals("POST")
                    ? RemoteRequest.post(url.toURI(), body == null ? new byte[0] : body.toByteArray())
                    : RemoteRequest.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException("not a usable URL: " + url, e);
        }
        request = request.withMaxBodyBytes(maxResponseBytes);
        for (Map.Entry<String, String> header : requestHeaders.entrySet()) {
            if (!DROPPED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                request = request.withHeader(header.getKey(), header.getValue());
            }
        }
        try {
            response = remote.fetch(request);
            status = response.status();
            responseHeaders = response.headerMap();
            responseBody = response.body();
        } catch (RemoteException e) {
            if (e.status().isEmpty() || e.kind() == RemoteException.Kind.RATE_LIMITED
                    || e.kind() == RemoteException.Kind.UPSTREAM_ERROR) {
                throw e;
            }
            // 401/403/404: JGit reports these itself ("not authorized", "repository not found").
            status = e.status().getAsInt();
        }
    }

    @Override
    public int getResponseCode() throws IOException {
        connect();
        return status;
    }

    @Override
    public URL getURL() {
        return url;
    }

    @Override
    public String getResponseMessage() throws IOException {
        connect();
        return "HTTP " + status;
    }

    @Override
    public Map<String, List<String>> getHeaderFields() {
        return responseHeaders;
    }

    @Override
    public void setRequestProperty(String key, String value) {
        requestHeaders.put(key, value);
    }

    @Override
    public void setRequestMethod(String value) throws java.net.ProtocolException {
        if (!value.equals("GET") && !value.equals("POST")) {
            throw new java.net.ProtocolException("only GET and POST are used for git fetches: " + value);
        }
        method = value;
    }

    @Override
    public void setUseCaches(boolean usecaches) {
    }

    @Override
    public void setConnectTimeout(int timeout) {
        // the RemoteClient's configured timeouts apply
    }

    @Override
    public void setReadTimeout(int timeout) {
        // the RemoteClient's configured timeouts apply
    }

    @Override
    public String getContentType() {
        return getHeaderField("content-type");
    }

    @Override
    public InputStream getInputStream() throws IOException {
        connect();
        return responseBody;
    }

    @Override
    public String getHeaderField(String name) {
        List<String> values = getHeaderFields(name);
        return values.isEmpty() ? null : values.getFirst();
    }

    @Override
    public List<String> getHeaderFields(String name) {
        return responseHeaders.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public int getContentLength() {
        String value = getHeaderField("content-length");
        try {
            return value == null ? -1 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void setInstanceFollowRedirects(boolean followRedirects) {
        // RemoteClient follows redirects itself, re-checking every hop
    }

    @Override
    public void setDoOutput(boolean dooutput) {
    }

    @Override
    public void setFixedLengthStreamingMode(int contentLength) {
    }

    @Override
    public OutputStream getOutputStream() {
        if (body == null) {
            body = new ByteArrayOutputStream() {
                @Override
                public synchronized void write(byte[] b, int off, int len) {
                    if (count + len > RemoteRequest.MAX_REQUEST_BODY) {
                        throw new IllegalStateException("git request body over " + RemoteRequest.MAX_REQUEST_BODY + " bytes");
                    }
                    super.write(b, off, len);
                }
            };
        }
        return body;
    }

    @Override
    public void setChunkedStreamingMode(int chunklen) {
    }

    @Override
    public String getRequestMethod() {
        return method;
    }

    @Override
    public boolean usingProxy() {
        return false;
    }

    @Override
    public void configure(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
        throw new UnsupportedOperationException("TLS settings of git fetches cannot be changed (http.sslVerify is ignored)");
    }

    @Override
    public void setHostnameVerifier(HostnameVerifier hostnameverifier) {
        throw new UnsupportedOperationException("TLS settings of git fetches cannot be changed (http.sslVerify is ignored)");
    }
}
