package dev.akua.registry.remote;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and policy of a {@link RemoteClient}. Every field has a safe default ({@link #defaults()});
 * the {@code with*} methods return changed copies.
 *
 * @param connectTimeout  TCP connect (and TLS handshake start) limit per hop
 * @param readTimeout     longest wait for any single read from the peer
 * @param totalTimeout    deadline for a whole fetch, redirects and body included
 * @param maxRedirects    redirect hops followed before {@link RemoteException.Kind#TOO_MANY_REDIRECTS}
 * @param maxBodyBytes    body cap used when a request does not set its own
 * @param addressPolicy   which peers may be connected to
 * @param hostResolver    name resolution (tests inject fakes; production uses the system resolver)
 * @param userAgent       the User-Agent header sent
 */
public record RemoteConfig(Duration connectTimeout,
                           Duration readTimeout,
                           Duration totalTimeout,
                           int maxRedirects,
                           long maxBodyBytes,
                           AddressPolicy addressPolicy,
                           HostResolver hostResolver,
                           String userAgent) {

    public RemoteConfig {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        requirePositive(totalTimeout, "totalTimeout");
        if (maxRedirects < 0 || maxRedirects > 20) {
            throw new IllegalArgumentException("maxRedirects must be within 0..20: " + maxRedirects);
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        }
        Objects.requireNonNull(addressPolicy, "addressPolicy");
        Objects.requireNonNull(hostResolver, "hostResolver");
        Objects.requireNonNull(userAgent, "userAgent");
        if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException("userAgent must be printable ASCII");
        }
    }

    /**
     * 10 s connect, 30 s per read, 60 s per fetch (akua's own per-request limit, wire contract §1.1),
     * 5 redirects, 64 MiB bodies, public addresses only, the system resolver.
     */
    public static RemoteConfig defaults() {
        return new RemoteConfig(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), 5,
                64L * 1024 * 1024, AddressPolicy.publicOnly(), HostResolver.system(), "akua-registry/0.1");
    }

    public RemoteConfig withConnectTimeout(Duration value) {
        return new RemoteConfig(value, readTimeout, totalTimeout, maxRedirects, maxBodyBytes, addressPolicy, hostResolver, userAgent);
    }

    public RemoteConfig withReadTimeout(Duration value) {
        return new RemoteConfig(connectTimeout, value, totalTimeout, maxRedirects, maxBodyBytes, addressPolicy, hostResolver, userAgent);
    }

    public RemoteConfig withTotalTimeout(Duration value) {
        return new RemoteConfig(connectTimeout, readTimeout, value, maxRedirects, maxBodyBytes, addressPolicy, hostResolver, userAgent);
    }

    public RemoteConfig withMaxRedirects(int value) {
        return new RemoteConfig(connectTimeout, readTimeout, totalTimeout, value, maxBodyBytes, addressPolicy, hostResolver, userAgent);
    }

    public RemoteConfig withMaxBodyBytes(long value) {
        return new RemoteConfig(connectTimeout, readTimeout, totalTimeout, maxRedirects, value, addressPolicy, hostResolver, userAgent);
    }

    public RemoteConfig withAddressPolicy(AddressPolicy value) {
        return new RemoteConfig(connectTimeout, readTimeout, totalTimeout, maxRedirects, maxBodyBytes, value, hostResolver, userAgent);
    }

    public RemoteConfig withHostResolver(HostResolver value) {
        return new RemoteConfig(connectTimeout, readTimeout, totalTimeout, maxRedirects, maxBodyBytes, addressPolicy, value, userAgent);
    }

    public RemoteConfig withUserAgent(String value) {
        return new RemoteConfig(connectTimeout, readTimeout, totalTimeout, maxRedirects, maxBodyBytes, addressPolicy, hostResolver, value);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
