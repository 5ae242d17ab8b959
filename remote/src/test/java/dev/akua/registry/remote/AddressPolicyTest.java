package dev.akua.registry.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPolicyTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, LOOPBACK",
            "127.255.255.254, LOOPBACK",
            "::1, LOOPBACK",
            "10.1.2.3, PRIVATE",
            "172.16.0.1, PRIVATE",
            "172.31.255.255, PRIVATE",
            "192.168.1.1, PRIVATE",
            "100.64.0.1, PRIVATE",
            "fd12:3456::1, PRIVATE",
            "fc00::1, PRIVATE",
            "fec0::1, PRIVATE",
            "169.254.169.254, LINK_LOCAL",
            "169.254.0.1, LINK_LOCAL",
            "fe80::1, LINK_LOCAL",
            "224.0.0.1, MULTICAST",
            "239.255.255.250, MULTICAST",
            "ff02::1, MULTICAST",
            "0.0.0.0, UNSPECIFIED",
            "::, UNSPECIFIED",
            "255.255.255.255, RESERVED",
            "192.0.2.1, RESERVED",
            "2001:db8::1, RESERVED",
            "8.8.8.8, PUBLIC",
            "172.32.0.1, PUBLIC",
            "2606:4700::1111, PUBLIC",
            // IPv6 forms that embed IPv4 are judged by the embedded address
            "::ffff:127.0.0.1, LOOPBACK",
            "::ffff:169.254.169.254, LINK_LOCAL",
            "::ffff:10.0.0.1, PRIVATE",
            "64:ff9b::a9fe:a9fe, LINK_LOCAL",
            "2002:7f00:0001::1, LOOPBACK",
            "::7f00:1, LOOPBACK",
    })
    void classify_literal_expectedClass(String literal, AddressPolicy.AddressClass expected) throws Exception {
        assertEquals(expected, AddressPolicy.classify(InetAddress.getByName(literal)));
    }

    @Test
    void classify_ipv4MappedAsInet6Object_judgedByEmbeddedAddress() throws Exception {
        // The JDK turns ::ffff:a.b.c.d into an Inet4Address, but a custom resolver can build an Inet6Address.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 169, (byte) 254, (byte) 169, (byte) 254};
        InetAddress address = Inet6Address.getByAddress("metadata", mapped, -1);
        assertEquals(AddressPolicy.AddressClass.LINK_LOCAL, AddressPolicy.classify(address));
        assertFalse(AddressPolicy.publicOnly().withLoopbackAllowed().withPrivateAllowed().permits(address));
    }

    @Test
    void permits_publicOnly_refusesEveryInternalClass() throws Exception {
        AddressPolicy policy = AddressPolicy.publicOnly();
        for (String literal : new String[] {"127.0.0.1", "::1", "10.0.0.1", "169.254.169.254", "fe80::1", "fd00::1", "224.0.0.1", "0.0.0.0", "::"}) {
            assertFalse(policy.permits(InetAddress.getByName(literal)), literal);
        }
        assertTrue(policy.permits(InetAddress.getByName("8.8.8.8")));
    }

    @Test
    void permits_loopbackAllowed_stillRefusesMetadataAndPrivate() throws Exception {
        AddressPolicy policy = AddressPolicy.publicOnly().withLoopbackAllowed();
        assertTrue(policy.permits(InetAddress.getByName("127.0.0.1")));
        assertTrue(policy.permits(InetAddress.getByName("::1")));
        assertFalse(policy.permits(InetAddress.getByName("169.254.169.254")));
        assertFalse(policy.permits(InetAddress.getByName("192.168.0.1")));
    }

    @Test
    void permits_explicitCidr_allowsOnlyThatRange() throws Exception {
        AddressPolicy policy = AddressPolicy.publicOnly().allowing("10.1.2.0/24").allowing("fd00:1::/32");
        assertTrue(policy.permits(InetAddress.getByName("10.1.2.200")));
        assertFalse(policy.permits(InetAddress.getByName("10.1.3.1")));
        assertTrue(policy.permits(InetAddress.getByName("fd00:1::5")));
        assertFalse(policy.permits(InetAddress.getByName("fd00:2::5")));
    }

    @Test
    void cidrParse_hostName_rejected() {
        assertThrows(IllegalArgumentException.class, () -> AddressPolicy.Cidr.parse("example.com/24"));
        assertThrows(IllegalArgumentException.class, () -> AddressPolicy.Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> AddressPolicy.Cidr.parse("10.0.0.0"));
    }
}
