package dev.akua.registry.extension;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything features plug into the {@code /v2} API: one access gate, checks on manifest push
 * and pull, pull-through sources and event listeners. Built once by the composition root.
 */
public record V2Hooks(AccessGate gate, List<ManifestPushCheck> pushChecks, List<ManifestPullCheck> pullChecks,
                      List<PullThrough> pullThrough, List<RegistryListener> listeners) {
    public V2Hooks {
        Objects.requireNonNull(gate, "gate");
        pushChecks = List.copyOf(pushChecks);
        pullChecks = List.copyOf(pullChecks);
        pullThrough = List.copyOf(pullThrough);
        listeners = List.copyOf(listeners);
    }

    public static V2Hooks open() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private AccessGate gate = AccessGate.OPEN;
        private final List<ManifestPushCheck> pushChecks = new ArrayList<>();
        private final List<ManifestPullCheck> pullChecks = new ArrayList<>();
        private final List<PullThrough> pullThrough = new ArrayList<>();
        private final List<RegistryListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** There is one gate; setting a second one is a wiring error. */
        public Builder gate(AccessGate gate) {
            if (this.gate != AccessGate.OPEN) {
                throw new IllegalStateException("an access gate is already installed");
            }
            this.gate = Objects.requireNonNull(gate);
            return this;
        }

        public Builder pushCheck(ManifestPushCheck check) {
            pushChecks.add(check);
            return this;
        }

        public Builder pullCheck(ManifestPullCheck check) {
            pullChecks.add(check);
            return this;
        }

        public Builder pullThrough(PullThrough source) {
            pullThrough.add(source);
            return this;
        }

        public Builder listener(RegistryListener listener) {
            listeners.add(listener);
            return this;
        }

        public V2Hooks build() {
            return new V2Hooks(gate, pushChecks, pullChecks, pullThrough, listeners);
        }
    }
}
