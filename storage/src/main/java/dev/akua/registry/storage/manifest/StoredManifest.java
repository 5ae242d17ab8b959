package dev.akua.registry.storage.manifest;

/** A manifest read back: its revision record and the exact bytes that were pushed. */
public record StoredManifest(Revision revision, byte[] bytes) {
}
