package dev.akua.registry.signing.key;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

import java.io.IOException;
import java.util.Arrays;

/** Recognises the ECDSA signature encodings cosign and akua produce. */
final class SignatureEncoding {
    private SignatureEncoding() {
    }

    /**
     * True when {@code sig} is exactly the DER encoding of {@code SEQUENCE {INTEGER r, INTEGER s}}
     * with positive r and s: no trailing bytes, no BER length forms. Anything else is tried as raw
     * {@code r||s}, which is what akua does when DER parsing fails.
     */
    static boolean isStrictDerEcdsa(byte[] sig) {
        if (sig.length < 8 || sig[0] != 0x30) {
            return false;
        }
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(sig);
            if (!(primitive instanceof ASN1Sequence seq) || seq.size() != 2) {
                return false;
            }
            if (!(seq.getObjectAt(0) instanceof ASN1Integer r) || !(seq.getObjectAt(1) instanceof ASN1Integer s)) {
                return false;
            }
            if (r.getValue().signum() <= 0 || s.getValue().signum() <= 0) {
                return false;
            }
            return Arrays.equals(seq.getEncoded(ASN1Encoding.DER), sig);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
