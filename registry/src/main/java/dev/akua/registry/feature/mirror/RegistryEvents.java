package dev.akua.registry.feature.mirror;

import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RegistryListener;
import dev.akua.registry.extension.V2Hooks;
import dev.akua.registry.mirror.StoreEvents;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.storage.manifest.PutResult;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the registry's listeners (audit log, signature cache, hosted Helm indexes…) about content
 * the mirror stored, as {@code manifestPushed} by the caller {@code mirror}, so mirrored and
 * imported content is seen like a push. The listeners are looked up when an event happens: the
 * composition root publishes the {@link V2Hooks} after every feature was built.
 */
final class RegistryEvents implements StoreEvents {
    private static final Logger LOG = Logger.getLogger(RegistryEvents.class.getName());
    static final Caller MIRROR = new Caller("mirror", false, "local", null);

    private final FeatureContext ctx;

    RegistryEvents(FeatureContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void manifestStored(RepositoryName repository, PutResult result, Map<Tag, Optional<Digest>> previousTags) {
        List<RegistryListener> listeners = ctx.service(V2Hooks.class).map(V2Hooks::listeners).orElse(List.of());
        for (RegistryListener l : listeners) {
            try {
                l.manifestPushed(MIRROR, repository, result, previousTags);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "registry listener " + l.getClass().getName() + " failed on mirrored " + repository, e);
            }
        }
    }
}
