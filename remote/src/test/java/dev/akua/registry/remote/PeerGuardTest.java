package dev.akua.registry.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

import io.helidon.webclient.api.ConnectedSocketInfo;
import io.helidon.webclient.api.DnsAddressLookup;
import org.junit.jupiter.api.Test;

class PeerGuardTest {

    @Test
    void socketConnected_peerNotAllowed_refusesAndClosesSocket() throws Exception {
        PeerGuard guard = new PeerGuard(AddressPolicy.publicOnly(), HostResolver.system());
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()));
            ConnectedSocketInfo info = new ConnectedSocketInfo() {
                @Override
                public String channelId() {
                    return "test";
                }

                @Override
                public Socket socket() {
                    return socket;
                }
            };

            RemoteException e = assertThrows(RemoteException.class, () -> guard.socketConnected(info));

            assertEquals(RemoteException.Kind.ADDRESS_REFUSED, e.kind());
            assertTrue(socket.isClosed());
        }
    }

    @Test
    void resolveAddress_anyRefusedAddressInAnswer_refusesName() throws Exception {
        HostResolver mixed = host -> List.of(InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.0.0.7"));
        PeerGuard guard = new PeerGuard(AddressPolicy.publicOnly(), mixed);

        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> guard.resolveAddress("mixed.example.test", DnsAddressLookup.IPV4_PREFERRED));

        assertTrue(e.getCause() instanceof RemoteException r && r.kind() == RemoteException.Kind.ADDRESS_REFUSED);
    }

    @Test
    void resolveAddress_bracketedIpv6Literal_resolvedWithoutBrackets() {
        PeerGuard guard = new PeerGuard(AddressPolicy.publicOnly().withLoopbackAllowed(), HostResolver.system());

        InetAddress address = guard.resolveAddress("[::1]", DnsAddressLookup.IPV6_PREFERRED);

        assertTrue(address.isLoopbackAddress());
    }
}
