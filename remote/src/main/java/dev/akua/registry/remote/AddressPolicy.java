package dev.akua.registry.remote;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which peer addresses a {@link RemoteClient} may connect to. The default refuses every
 * non-public address: loopback, private (RFC 1918, CGNAT 100.64/10, IPv6 unique-local fc00::/7,
 * site-local fec0::/10), link-local (169.254/16 including the cloud metadata address
 * 169.254.169.254, fe80::/10), multicast, unspecified (0.0.0.0/8, ::) and reserved/documentation
 * ranges. IPv6 forms that embed an IPv4 address (IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96,
 * NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the embedded IPv4 address.
 *
 * @param allowLoopback permit loopback peers (tests, a registry proxying a sidecar)
 * @param allowPrivate  permit private and unique-local peers (an air-gapped LAN mirror)
 * @param allowed       extra ranges permitted whatever their class (e.g. {@code 10.1.2.0/24})
 */
public record AddressPolicy(boolean allowLoopback, boolean allowPrivate, List<Cidr> allowed) {

    /** Address classes, judged on the address bytes only. */
    public enum AddressClass { PUBLIC, LOOPBACK, PRIVATE, LINK_LOCAL, MULTICAST, UNSPECIFIED, RESERVED }

    public AddressPolicy {
        allowed = List.copyOf(Objects.requireNonNull(allowed, "allowed"));
    }

    /** Public addresses only: the safe default for anything that follows user-supplied URLs. */
    public static AddressPolicy publicOnly() {
        return new AddressPolicy(false, false, List.of());
    }

    public AddressPolicy withLoopbackAllowed() {
        return new AddressPolicy(true, allowPrivate, allowed);
    }

    public AddressPolicy withPrivateAllowed() {
        return new AddressPolicy(allowLoopback, true, allowed);
    }

    /** Also permits one CIDR range, e.g. {@code "10.1.2.0/24"} or {@code "fd00::/8"}. */
    public AddressPolicy allowing(String cidr) {
        List<Cidr> more = new ArrayList<>(allowed);
        more.add(Cidr.parse(cidr));
        return new AddressPolicy(allowLoopback, allowPrivate, more);
    }

    /** Whether a connection to this peer address is allowed. */
    public boolean permits(InetAddress address) {
        for (Cidr cidr : allowed) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return switch (classify(address)) {
            case PUBLIC -> true;
            case LOOPBACK -> allowLoopback;
            case PRIVATE -> allowPrivate;
            case LINK_LOCAL, MULTICAST, UNSPECIFIED, RESERVED -> false;
        };
    }

    /** The class of an address; IPv6 forms embedding IPv4 are judged by the embedded address. */
    public static AddressClass classify(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return classifyV4(b);
        }
        if (address instanceof Inet6Address) {
            byte[] embedded = embeddedV4(b);
            return embedded != null ? classifyV4(embedded) : classifyV6(b);
        }
        return AddressClass.RESERVED;
    }

    private static AddressClass classifyV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0) {
            return AddressClass.UNSPECIFIED;                       // 0.0.0.0/8 "this network"
        }
        if (a0 == 127) {
            return AddressClass.LOOPBACK;
        }
        if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)
                || (a0 == 100 && a1 >= 64 && a1 <= 127)) {         // RFC 1918 + CGNAT (RFC 6598)
            return AddressClass.PRIVATE;
        }
        if (a0 == 169 && a1 == 254) {
            return AddressClass.LINK_LOCAL;                        // includes 169.254.169.254
        }
        if (a0 >= 224 && a0 <= 239) {
            return AddressClass.MULTICAST;
        }
        if (a0 >= 240                                              // reserved + broadcast
                || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2))  // IETF assignments, TEST-NET-1
                || (a0 == 198 && (a1 == 18 || a1 == 19))           // benchmarking
                || (a0 == 198 && a1 == 51 && a2 == 100)            // TEST-NET-2
                || (a0 == 203 && a1 == 0 && a2 == 113)             // TEST-NET-3
                || (a0 == 192 && a1 == 88 && a2 == 99)) {          // 6to4 relay anycast
            return AddressClass.RESERVED;
        }
        return AddressClass.PUBLIC;
    }

    private static AddressClass classifyV6(byte[] b) {
        boolean zeroPrefix = true;
        for (int i = 0; i < 15; i++) {
            if (b[i] != 0) {
                zeroPrefix = false;
                break;
            }
        }
        if (zeroPrefix && b[15] == 0) {
            return AddressClass.UNSPECIFIED;
        }
        if (zeroPrefix && b[15] == 1) {
            return AddressClass.LOOPBACK;
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (b0 == 0xff) {
            return AddressClass.MULTICAST;
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return AddressClass.LINK_LOCAL;                        // fe80::/10
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return AddressClass.PRIVATE;                           // fec0::/10 site-local (deprecated)
        }
        if ((b0 & 0xfe) == 0xfc) {
            return AddressClass.PRIVATE;                           // fc00::/7 unique-local
        }
        if ((b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8)   // 2001:db8::/32
                || (b0 == 0x01 && b1 == 0x00 && isZero(b, 2, 8))                          // 100::/64 discard
                || zeroPrefix) {
            return AddressClass.RESERVED;
        }
        return AddressClass.PUBLIC;
    }

    /** The IPv4 address embedded by mapped, compatible, NAT64 or 6to4 forms, else null. */
    private static byte[] embeddedV4(byte[] b) {
        boolean first80Zero = isZero(b, 0, 10);
        if (first80Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return slice(b, 12);                                   // ::ffff:a.b.c.d
        }
        if (first80Zero && b[10] == 0 && b[11] == 0 && !(isZero(b, 12, 15) && (b[15] == 0 || b[15] == 1))) {
            return slice(b, 12);                                   // ::a.b.c.d (deprecated compatible form)
        }
        if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && isZero(b, 4, 12)) {
            return slice(b, 12);                                   // 64:ff9b::/96 NAT64
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return new byte[] {b[2], b[3], b[4], b[5]};            // 2002::/16 6to4
        }
        return null;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] slice(byte[] b, int from) {
        return new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
    }

    /**
     * An address range {@code <literal address>/<prefix length>}.
     *
     * @param network the network address bytes (4 or 16)
     * @param prefix  the prefix length in bits
     */
    public record Cidr(byte[] network, int prefix) {
        public Cidr {
            network = network.clone();
            if (network.length != 4 && network.length != 16) {
                throw new IllegalArgumentException("network must be 4 or 16 bytes");
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("prefix length out of range: " + prefix);
            }
        }

        /** Parses {@code 10.0.0.0/8} or {@code fd00::/8}; only address literals, never host names. */
        public static Cidr parse(String text) {
            Objects.requireNonNull(text, "cidr");
            int slash = text.indexOf('/');
            if (slash <= 0) {
                throw new IllegalArgumentException("not a CIDR range (address/prefix): " + text);
            }
            String literal = text.substring(0, slash);
            if (!literal.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("CIDR range must use an address literal: " + text);
            }
            try {
                byte[] bytes = InetAddress.getByName(literal).getAddress();
                return new Cidr(bytes, Integer.parseInt(text.substring(slash + 1)));
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR range: " + text, e);
            }
        }

        public boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cidr other && other.prefix == prefix && java.util.Arrays.equals(other.network, network);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(network) * 31 + prefix;
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        public byte[] network() {
            return network.clone();
        }
    }
}
