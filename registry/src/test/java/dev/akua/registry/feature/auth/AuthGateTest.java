package dev.akua.registry.feature.auth;

import dev.akua.registry.auth.Scope;
import dev.akua.registry.extension.RequiredAccess;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The core's access vocabulary mapped onto Docker token scopes. */
class AuthGateTest {
    @Test
    void scopes_repositoryAndCatalog_mappedToTokenScopes() {
        List<Scope> scopes = AuthGate.scopes(List.of(
                RequiredAccess.repository("a/b", RequiredAccess.Action.PULL, RequiredAccess.Action.PUSH),
                RequiredAccess.repository("c", RequiredAccess.Action.DELETE),
                RequiredAccess.catalog()));
        assertEquals(List.of("repository:a/b:pull,push", "repository:c:delete", "registry:catalog:*"),
                scopes.stream().map(Scope::toString).toList());
    }

    @Test
    void scopes_unknownResource_refused() {
        assertThrows(IllegalArgumentException.class,
                () -> AuthGate.scopes(List.of(new RequiredAccess("plugin", "x", java.util.Set.of()))));
        assertThrows(IllegalArgumentException.class,
                () -> AuthGate.scopes(List.of(new RequiredAccess("registry", "other", java.util.Set.of()))));
    }

    @Test
    void unwrap_callerNotMadeByTheGate_isAnonymous() {
        var c = AuthGate.unwrap(dev.akua.registry.extension.Caller.anonymous("192.0.2.1"));
        assertEquals("anonymous", c.principal().id());
        assertEquals("192.0.2.1", c.clientAddress());
    }
}
