package dev.akua.registry.signing.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/**
 * A private Sigstore built by the tests: a Fulcio-like CA, a CT log that issues embedded SCTs, and
 * a Rekor-like transparency log (RFC 6962 Merkle tree, signed checkpoints, signed entry timestamps),
 * plus the {@code trusted_root.json} describing them. Nothing here talks to a network.
 */
public final class TestSigstore {
    static final String REKOR_URL = "https://rekor.sigstore.test";
    static final String REKOR_HOST = "rekor.sigstore.test";
    public static final String ISSUER = "https://token.actions.example.test";
    private static final String FULCIO_ISSUER_OID = "1.3.6.1.4.1.57264.1.8";
    private static final String SCT_OID = "1.3.6.1.4.1.11129.2.4.2";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder();

    final ObjectMapper mapper = new ObjectMapper();
    final KeyPair caKey = ecKey();
    final KeyPair ctKey = ecKey();
    final KeyPair rekorKey = ecKey();
    final X509Certificate caCert;
    final Instant epoch = Instant.parse("2024-01-01T00:00:00Z");

    public TestSigstore() {
        try {
            X500Name name = new X500Name("O=sigstore-test,CN=test-fulcio-root");
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(1),
                    Date.from(epoch), Date.from(epoch.plusSeconds(20L * 365 * 86400)), name, caKey.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            caCert = new JcaX509CertificateConverter().getCertificate(b.build(signer(caKey.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ecKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer(PrivateKey key) throws Exception {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    }

    /** The trusted_root.json of this Sigstore (protobuf-specs TrustedRoot, JSON form). */
    public byte[] trustedRoot() {
        return trustedRoot(caCert, rekorKey.getPublic());
    }

    byte[] trustedRoot(X509Certificate ca, PublicKey rekor) {
        try {
            ObjectNode root = mapper.createObjectNode();
            root.put("mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
            root.putArray("tlogs").add(log(REKOR_URL, rekor));
            ObjectNode authority = root.putArray("certificateAuthorities").addObject();
            authority.putObject("subject").put("organization", "sigstore-test").put("commonName", "test-fulcio-root");
            authority.put("uri", "https://fulcio.sigstore.test");
            authority.putObject("certChain").putArray("certificates").addObject().put("rawBytes", B64.encodeToString(ca.getEncoded()));
            authority.putObject("validFor").put("start", "2024-01-01T00:00:00Z");
            root.putArray("ctlogs").add(log("https://ctfe.sigstore.test", ctKey.getPublic()));
            root.putArray("timestampAuthorities");
            return mapper.writeValueAsBytes(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode log(String url, PublicKey key) {
        ObjectNode log = mapper.createObjectNode();
        log.put("baseUrl", url);
        log.put("hashAlgorithm", "SHA2_256");
        ObjectNode pk = log.putObject("publicKey");
        pk.put("rawBytes", B64.encodeToString(key.getEncoded()));
        pk.put("keyDetails", "PKIX_ECDSA_P256_SHA_256");
        pk.putObject("validFor").put("start", "2024-01-01T00:00:00Z");
        log.putObject("logId").put("keyId", B64.encodeToString(sha256(key.getEncoded())));
        return log;
    }

    /** A signing identity: the ephemeral key and its certificate. */
    public record Leaf(KeyPair key, X509Certificate cert) {
    }

    /** A Fulcio-style leaf: code-signing, one SAN (URI or email), the OIDC issuer extension, an embedded SCT. */
    public Leaf issue(String san, String issuer, Instant notBefore, Instant notAfter) {
        return issue(san, issuer, notBefore, notAfter, caKey, caCert);
    }

    Leaf issue(String san, String issuer, Instant notBefore, Instant notAfter, KeyPair ca, X509Certificate caCertificate) {
        try {
            KeyPair key = ecKey();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCertificate, BigInteger.valueOf(RANDOM.nextLong() & Long.MAX_VALUE),
                    Date.from(notBefore), Date.from(notAfter), new X500Name(new org.bouncycastle.asn1.x500.RDN[0]), key.getPublic());
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
            int type = san.contains("@") && !san.contains("://") ? GeneralName.rfc822Name : GeneralName.uniformResourceIdentifier;
            b.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(new GeneralName(type, san)));
            b.addExtension(new ASN1ObjectIdentifier(FULCIO_ISSUER_OID), false, new DERUTF8String(issuer));
            X509CertificateHolder precert = b.build(signer(ca.getPrivate()));
            long sctTime = notBefore.toEpochMilli();
            byte[] sct = sct(precertTbs(precert), sha256(caCertificate.getPublicKey().getEncoded()), sctTime);
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            u16(list, sct.length + 2);
            u16(list, sct.length);
            list.writeBytes(sct);
            b.addExtension(new ASN1ObjectIdentifier(SCT_OID), false, new DEROctetString(list.toByteArray()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer(ca.getPrivate())));
            return new Leaf(key, cert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The TBS a CT log signs for a precertificate: the certificate's TBS without SCT or poison extension (RFC 6962 §3.2). */
    private static byte[] precertTbs(X509CertificateHolder cert) throws Exception {
        TBSCertificate tbs = cert.toASN1Structure().getTBSCertificate();
        Extensions ext = tbs.getExtensions();
        List<Extension> kept = new ArrayList<>();
        for (ASN1ObjectIdentifier oid : ext.getExtensionOIDs()) {
            if (!oid.getId().equals(SCT_OID)) {
                kept.add(ext.getExtension(oid));
            }
        }
        V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
        g.setSerialNumber(tbs.getSerialNumber());
        g.setSignature(tbs.getSignature());
        g.setIssuer(tbs.getIssuer());
        g.setStartDate(tbs.getStartDate());
        g.setEndDate(tbs.getEndDate());
        g.setSubject(tbs.getSubject());
        g.setSubjectPublicKeyInfo(tbs.getSubjectPublicKeyInfo());
        g.setExtensions(new Extensions(kept.toArray(new Extension[0])));
        return g.generateTBSCertificate().getEncoded();
    }

    /** An RFC 6962 v1 SCT over a precert entry, signed by the CT log key. */
    private byte[] sct(byte[] tbs, byte[] issuerKeyHash, long timestamp) {
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        signed.write(0); // v1
        signed.write(0); // certificate_timestamp
        u64(signed, timestamp);
        u16(signed, 1); // precert_entry
        signed.writeBytes(issuerKeyHash);
        u24(signed, tbs.length);
        signed.writeBytes(tbs);
        u16(signed, 0); // no extensions
        byte[] sig = sign(ctKey.getPrivate(), signed.toByteArray());
        ByteArrayOutputStream sct = new ByteArrayOutputStream();
        sct.write(0);
        sct.writeBytes(sha256(ctKey.getPublic().getEncoded()));
        u64(sct, timestamp);
        u16(sct, 0);
        sct.write(4); // sha256
        sct.write(3); // ecdsa
        u16(sct, sig.length);
        sct.writeBytes(sig);
        return sct.toByteArray();
    }

    /** What goes into a bundle and its log entry; tests change single fields to tamper. */
    public static final class BundleSpec {
        public byte[] statement;
        public Leaf leaf;
        public Instant integratedTime;
        public boolean promise = true;
        public int treeSize = 7;
        public int logIndex = 5;
        public PrivateKey checkpointKey;
        public PrivateKey setKey;
        public boolean flipProofHash;
        public long integratedTimeInBundleDelta;
        public byte[] logIdOverride;
    }

    public BundleSpec spec(byte[] statement, Leaf leaf, Instant integratedTime) {
        BundleSpec s = new BundleSpec();
        s.statement = statement;
        s.leaf = leaf;
        s.integratedTime = integratedTime;
        s.checkpointKey = rekorKey.getPrivate();
        s.setKey = rekorKey.getPrivate();
        return s;
    }

    /** A v0.3 bundle: DSSE envelope signed by the leaf, a dsse 0.0.1 log entry with inclusion proof, checkpoint and (optionally) promise. */
    public byte[] dsseBundle(BundleSpec s) {
        try {
            byte[] payload = s.statement;
            String type = "application/vnd.in-toto+json";
            byte[] pae = pae(type, payload);
            byte[] sig = sign(s.leaf.key().getPrivate(), pae);
            ObjectNode envelope = mapper.createObjectNode();
            envelope.put("payload", B64.encodeToString(payload));
            envelope.put("payloadType", type);
            envelope.putArray("signatures").addObject().put("sig", B64.encodeToString(sig)).put("keyid", "");
            String certPem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(s.leaf.cert().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            ObjectNode body = mapper.createObjectNode();
            body.put("apiVersion", "0.0.1");
            body.put("kind", "dsse");
            ObjectNode spec = body.putObject("spec");
            spec.putObject("envelopeHash").put("algorithm", "sha256").put("value", HexFormat.of().formatHex(sha256(mapper.writeValueAsBytes(envelope))));
            spec.putObject("payloadHash").put("algorithm", "sha256").put("value", HexFormat.of().formatHex(sha256(payload)));
            spec.putArray("signatures").addObject().put("signature", B64.encodeToString(sig))
                    .put("verifier", B64.encodeToString(certPem.getBytes(StandardCharsets.US_ASCII)));
            byte[] bodyBytes = mapper.writeValueAsBytes(body);
            return bundle(s, envelope, bodyBytes, "dsse");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A v0.3 bundle with a message signature over {@code artifact} (the leaf signs SHA-256 of it) and
     * a hashedrekord 0.0.1 log entry whose body is the one sigstore-java rebuilds and compares.
     */
    public byte[] messageSignatureBundle(BundleSpec s, byte[] artifact, byte[] claimedDigest) {
        try {
            byte[] sig = sign(s.leaf.key().getPrivate(), artifact);
            byte[] body = dev.sigstore.rekor.client.HashedRekordRequest.newHashedRekordRequest(sha256(artifact),
                    dev.sigstore.encryption.certificates.Certificates.toPemBytes(s.leaf.cert()), sig).toJsonPayload().getBytes(StandardCharsets.UTF_8);
            ObjectNode message = mapper.createObjectNode();
            message.putObject("messageDigest").put("algorithm", "SHA2_256").put("digest", B64.encodeToString(claimedDigest));
            message.put("signature", B64.encodeToString(sig));
            return bundle(s, message, body, "hashedrekord");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] bundle(BundleSpec s, ObjectNode content, byte[] bodyBytes, String kind) throws Exception {
        byte[] logId = s.logIdOverride != null ? s.logIdOverride : sha256(rekorKey.getPublic().getEncoded());
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < s.treeSize; i++) {
            leaves.add(i == s.logIndex ? bodyBytes : ("other entry " + i).getBytes(StandardCharsets.US_ASCII));
        }
        byte[] root = merkleRoot(leaves.stream().map(TestSigstore::leafHash).toList());
        List<byte[]> proof = inclusionProof(s.logIndex, leaves.stream().map(TestSigstore::leafHash).toList());
        if (s.flipProofHash) {
            proof.get(0)[0] ^= 0x01;
        }
        String header = "rekor.sigstore.test - 1193050959916656506\n" + s.treeSize + "\n" + B64.encodeToString(root);
        byte[] cpSig = sign(s.checkpointKey, (header + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] hintAndSig = new byte[4 + cpSig.length];
        System.arraycopy(sha256(rekorKey.getPublic().getEncoded()), 0, hintAndSig, 0, 4);
        System.arraycopy(cpSig, 0, hintAndSig, 4, cpSig.length);
        String checkpoint = header + "\n\n\u2014 " + REKOR_HOST + " " + B64.encodeToString(hintAndSig) + "\n";

        long integrated = s.integratedTime.getEpochSecond();
        String signable = "{\"body\":\"" + B64.encodeToString(bodyBytes) + "\",\"integratedTime\":" + integrated
                + ",\"logID\":\"" + HexFormat.of().formatHex(logId) + "\",\"logIndex\":" + s.logIndex + "}";
        byte[] set = sign(s.setKey, signable.getBytes(StandardCharsets.UTF_8));

        ObjectNode bundle = mapper.createObjectNode();
        bundle.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
        ObjectNode material = bundle.putObject("verificationMaterial");
        material.putObject("certificate").put("rawBytes", B64.encodeToString(s.leaf.cert().getEncoded()));
        ObjectNode entry = material.putArray("tlogEntries").addObject();
        entry.put("logIndex", String.valueOf(s.logIndex));
        entry.putObject("logId").put("keyId", B64.encodeToString(logId));
        entry.putObject("kindVersion").put("kind", kind).put("version", "0.0.1");
        entry.put("integratedTime", String.valueOf(integrated + s.integratedTimeInBundleDelta));
        if (s.promise) {
            entry.putObject("inclusionPromise").put("signedEntryTimestamp", B64.encodeToString(set));
        }
        ObjectNode ip = entry.putObject("inclusionProof");
        ip.put("logIndex", String.valueOf(s.logIndex));
        ip.put("rootHash", B64.encodeToString(root));
        ip.put("treeSize", String.valueOf(s.treeSize));
        ArrayNode hashes = ip.putArray("hashes");
        proof.forEach(h -> hashes.add(B64.encodeToString(h)));
        ip.putObject("checkpoint").put("envelope", checkpoint);
        entry.put("canonicalizedBody", B64.encodeToString(bodyBytes));
        bundle.set(kind.equals("dsse") ? "dsseEnvelope" : "messageSignature", content);
        return mapper.writeValueAsBytes(bundle);
    }

    static byte[] pae(String type, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("DSSEv1 " + type.length() + " " + type + " " + payload.length + " ").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    static byte[] leafHash(byte[] data) {
        byte[] in = new byte[data.length + 1];
        System.arraycopy(data, 0, in, 1, data.length);
        return sha256(in);
    }

    private static byte[] nodeHash(byte[] left, byte[] right) {
        byte[] in = new byte[1 + left.length + right.length];
        in[0] = 1;
        System.arraycopy(left, 0, in, 1, left.length);
        System.arraycopy(right, 0, in, 1 + left.length, right.length);
        return sha256(in);
    }

    /** RFC 6962 §2.1 MTH. */
    static byte[] merkleRoot(List<byte[]> hashes) {
        if (hashes.size() == 1) {
            return hashes.get(0);
        }
        int k = Integer.highestOneBit(hashes.size() - 1);
        return nodeHash(merkleRoot(hashes.subList(0, k)), merkleRoot(hashes.subList(k, hashes.size())));
    }

    /** RFC 6962 §2.1.1 PATH(m, D[n]), leaf-to-root order. */
    static List<byte[]> inclusionProof(int m, List<byte[]> hashes) {
        List<byte[]> out = new ArrayList<>();
        if (hashes.size() <= 1) {
            return out;
        }
        int k = Integer.highestOneBit(hashes.size() - 1);
        if (m < k) {
            out.addAll(inclusionProof(m, hashes.subList(0, k)));
            out.add(merkleRoot(hashes.subList(k, hashes.size())).clone());
        } else {
            out.addAll(inclusionProof(m - k, hashes.subList(k, hashes.size())));
            out.add(merkleRoot(hashes.subList(0, k)).clone());
        }
        return out;
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xff);
        out.write(v & 0xff);
    }

    private static void u24(ByteArrayOutputStream out, int v) {
        out.write((v >>> 16) & 0xff);
        u16(out, v);
    }

    private static void u64(ByteArrayOutputStream out, long v) {
        for (int i = 7; i >= 0; i--) {
            out.write((int) (v >>> (i * 8)) & 0xff);
        }
    }
}
