package dev.akua.registry.feature.lock;

import dev.akua.registry.lockfile.error.LockException;
import dev.akua.registry.oci.error.OciException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LockErrorsTest {

    @ParameterizedTest
    @EnumSource(LockException.Reason.class)
    void toOci_everyReason_notA500AndCarriesTheStableReason(LockException.Reason reason) {
        OciException e = LockErrors.toOci(new LockException(reason, "dep", "what happened"));
        assertNotEquals(500, e.status());
        boolean callersInput = reason.exitCode() == 1 && reason != LockException.Reason.DIGEST_MISMATCH
                && reason != LockException.Reason.REMOTE_CONTENT_INVALID;
        assertEquals(callersInput, e.status() < 500, () -> reason + " -> " + e.status());
        Map<?, ?> detail = (Map<?, ?>) e.detail();
        assertEquals(reason.name(), detail.get("reason"));
        assertEquals("dep", detail.get("dependency"));
        assertEquals(reason.exitCode(), detail.get("exitCode"));
        assertTrue(e.getMessage().contains("dependency `dep`: what happened"));
    }

    @Test
    void toOci_upstreamFailure_502FailClosed() {
        assertEquals(502, LockErrors.toOci(new LockException(LockException.Reason.REMOTE_FAILED, "x", "429")).status());
        assertEquals(502, LockErrors.toOci(new LockException(LockException.Reason.DIGEST_MISMATCH, "x", "bad")).status());
    }
}
