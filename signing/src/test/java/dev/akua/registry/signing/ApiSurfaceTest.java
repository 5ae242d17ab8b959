package dev.akua.registry.signing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bouncy Castle and sigstore-java stay inside this module: no public type of the module's API package
 * mentions them in a public signature, and nothing registers a JCA provider globally.
 */
class ApiSurfaceTest {
    private static final List<String> API = List.of(
            "SignatureContent", "SignatureVerification", "VerificationReport", "Finding", "Signer", "PullDecision", "ReportJson",
            "TrustPolicies", "TrustPolicy", "TrustedKey", "KeylessIdentity", "Enforcement", "RepositoryPattern", "VerificationLimits",
            "SigningConfig", "ServerSigner", "SignRequest", "SigningResult", "BlobUpload", "ManifestUpload", "SigningKeyStore", "SigningException");

    @Test
    void publicApi_mentionsNoBouncyCastleOrSigstoreType() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (String name : API) {
            Class<?> c = Class.forName("dev.akua.registry.signing." + name);
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers())) {
                    check(leaks, c, m.getGenericReturnType());
                    for (Type t : m.getGenericParameterTypes()) {
                        check(leaks, c, t);
                    }
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers())) {
                    for (Type t : k.getGenericParameterTypes()) {
                        check(leaks, c, t);
                    }
                }
            }
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    check(leaks, c, rc.getGenericType());
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void mainSources_neverRegisterAProviderGlobally() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            List<Path> offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    String s = Files.readString(p);
                    return s.contains("Security.addProvider") || s.contains("Security.insertProviderAt");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertEquals(List.of(), offenders);
        }
    }

    private static void check(List<String> leaks, Class<?> owner, Type t) {
        String name = t.getTypeName();
        if (name.contains("org.bouncycastle") || name.contains("dev.sigstore") || name.contains("com.google")) {
            leaks.add(owner.getSimpleName() + ": " + name);
        }
    }
}
