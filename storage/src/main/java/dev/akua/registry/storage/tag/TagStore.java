package dev.akua.registry.storage.tag;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.storage.StorageFailures;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.layout.Layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tags: small mutable pointers {@code tag → manifest digest}, each replaced atomically
 * (ARCHITECTURE.md rule 2). Reads go through a cache whose entries live at most
 * {@code pointerTtl}; writes and deletes through this store invalidate it at once, so a single
 * process never serves a stale tag, and other replicas see a change within the TTL.
 */
public final class TagStore {
    private record Key(RepositoryName repo, Tag tag) {
    }

    private final StorageDriver driver;
    private final LoadingCache<Key, Optional<Digest>> cache;

    public TagStore(StorageDriver driver, Duration pointerTtl) {
        this.driver = driver;
        this.cache = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(pointerTtl)
                .build(this::load);
    }

    public Optional<Digest> resolve(RepositoryName repo, Tag tag) {
        try {
            return cache.get(new Key(repo, tag));
        } catch (UncheckedIOException e) {
            throw StorageFailures.unavailable("reading tag " + repo + ":" + tag, e.getCause());
        }
    }

    public void put(RepositoryName repo, Tag tag, Digest digest) {
        Key key = new Key(repo, tag);
        try {
            driver.putContent(Layout.tagLink(repo, tag), digest.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw StorageFailures.unavailable("writing tag " + repo + ":" + tag, e);
        } finally {
            cache.invalidate(key);
        }
    }

    /** Removes the tag; false if it did not exist. */
    public boolean delete(RepositoryName repo, Tag tag) {
        Key key = new Key(repo, tag);
        try {
            driver.delete(Layout.tagDir(repo, tag));
            return true;
        } catch (PathNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw StorageFailures.unavailable("deleting tag " + repo + ":" + tag, e);
        } finally {
            cache.invalidate(key);
        }
    }

    /** All tags of the repository in ASCII order (distribution-spec "Listing Tags": lexical or ASCIIbetical). */
    public List<Tag> list(RepositoryName repo) {
        try {
            List<Tag> out = new ArrayList<>();
            for (String path : driver.list(Layout.tagsDir(repo))) {
                String name = path.substring(path.lastIndexOf('/') + 1);
                if (Tag.isValid(name)) {
                    out.add(new Tag(name));
                }
            }
            out.sort((a, b) -> a.value().compareTo(b.value()));
            return out;
        } catch (PathNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw StorageFailures.unavailable("listing tags of " + repo, e);
        }
    }

    /** Tags that currently point at {@code digest}. Reads every tag of the repository. */
    public List<Tag> tagsOf(RepositoryName repo, Digest digest) {
        List<Tag> out = new ArrayList<>();
        for (Tag tag : list(repo)) {
            if (resolve(repo, tag).filter(digest::equals).isPresent()) {
                out.add(tag);
            }
        }
        return out;
    }

    private Optional<Digest> load(Key key) {
        try {
            String text = new String(driver.getContent(Layout.tagLink(key.repo(), key.tag())), StandardCharsets.US_ASCII);
            return Optional.of(Digest.parse(text.trim()));
        } catch (PathNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
