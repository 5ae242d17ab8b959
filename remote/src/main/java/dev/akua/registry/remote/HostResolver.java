package dev.akua.registry.remote;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Name resolution used by {@link RemoteClient}. The addresses returned here are the ones the
 * client connects to (it never resolves the name a second time), so the {@link AddressPolicy}
 * check and the connection see the same address: a DNS answer that changes between "check" and
 * "connect" (DNS rebinding) cannot slip through.
 */
@FunctionalInterface
public interface HostResolver {
    /** All addresses of a host name or address literal (IPv6 literals may come bracketed). */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JDK's resolver ({@link InetAddress#getAllByName(String)}). */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
