package dev.akua.registry.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;

import io.helidon.webclient.api.ConnectedSocketChannelInfo;
import io.helidon.webclient.api.ConnectedSocketInfo;
import io.helidon.webclient.api.ConnectionListener;
import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.spi.DnsResolver;

/**
 * The address check, installed twice into Helidon's WebClient:
 * <ol>
 *   <li>as its {@link DnsResolver}: Helidon's {@code TcpClientConnection.connect()} asks the resolver
 *       for every new connection (address literals included) and connects to exactly the
 *       {@link InetAddress} returned, so the address checked is the address connected to and no
 *       packet is sent to a refused peer;</li>
 *   <li>as its {@link ConnectionListener}: called once the socket is connected and before any TLS or
 *       HTTP byte is written; it re-checks {@link Socket#getInetAddress()}, the peer actually
 *       connected to, so a future change in how Helidon resolves or proxies cannot bypass the policy.</li>
 * </ol>
 */
final class PeerGuard implements DnsResolver, ConnectionListener {
    private final AddressPolicy policy;
    private final HostResolver resolver;

    PeerGuard(AddressPolicy policy, HostResolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    @Override
    public InetAddress resolveAddress(String hostname, DnsAddressLookup lookup) {
        String host = hostname.startsWith("[") && hostname.endsWith("]")
                ? hostname.substring(1, hostname.length() - 1) : hostname;
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
        if (addresses == null || addresses.isEmpty()) {
            throw new UncheckedIOException(new UnknownHostException(host));
        }
        // Refuse the name if any of its addresses is refused: a mixed answer is how rebinding is staged.
        for (InetAddress address : addresses) {
            if (!policy.permits(address)) {
                throw new UncheckedIOException(refusal(host, address));
            }
        }
        InetAddress[] ordered = lookup.filter(addresses.toArray(InetAddress[]::new));
        return ordered.length > 0 ? ordered[0] : addresses.getFirst();
    }

    @Override
    public void socketConnected(ConnectedSocketInfo info) throws IOException {
        Socket socket = info.socket();
        check(socket.getInetAddress(), socket);
    }

    @Override
    public void socketChannelConnected(ConnectedSocketChannelInfo info) throws IOException {
        SocketAddress remote = info.socketChannel().getRemoteAddress();
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null || !policy.permits(inet.getAddress())) {
            info.socketChannel().close();
            throw new RemoteException(RemoteException.Kind.ADDRESS_REFUSED, null,
                    "refusing connection to " + remote + ": not allowed by the address policy");
        }
    }

    private void check(InetAddress peer, Socket socket) throws IOException {
        if (peer == null || !policy.permits(peer)) {
            socket.close();
            throw refusal(peer == null ? "?" : peer.getHostAddress(), peer);
        }
    }

    private static RemoteException refusal(String host, InetAddress address) {
        String what = address == null ? "an unknown address"
                : address.getHostAddress() + ", " + AddressPolicy.classify(address).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return new RemoteException(RemoteException.Kind.ADDRESS_REFUSED, null,
                "refusing to connect to " + host + " (" + what + "): not allowed by the address policy");
    }
}
