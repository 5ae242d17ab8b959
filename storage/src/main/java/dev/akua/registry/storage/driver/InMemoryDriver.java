package dev.akua.registry.storage.driver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Objects in a sorted map; directories are implied by the paths below them, as in object stores.
 * For tests and throw-away instances: nothing survives the process.
 */
public final class InMemoryDriver implements StorageDriver {
    private final NavigableMap<String, Entry> objects = new TreeMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Clock clock;

    public InMemoryDriver() {
        this(Clock.systemUTC());
    }

    public InMemoryDriver(Clock clock) {
        this.clock = clock;
    }

    private static final class Entry {
        byte[] bytes;
        int length;
        Instant modifiedAt;

        Entry(byte[] bytes, int length, Instant modifiedAt) {
            this.bytes = bytes;
            this.length = length;
            this.modifiedAt = modifiedAt;
        }

        byte[] copy() {
            return Arrays.copyOf(bytes, length);
        }
    }

    @Override
    public String name() {
        return "inmemory";
    }

    @Override
    public byte[] getContent(String path) throws IOException {
        StoragePath.check(path);
        lock.readLock().lock();
        try {
            Entry e = objects.get(path);
            if (e == null) {
                throw new PathNotFoundException(path);
            }
            return e.copy();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void putContent(String path, byte[] content) throws IOException {
        StoragePath.check(path);
        byte[] copy = content.clone();
        lock.writeLock().lock();
        try {
            objects.put(path, new Entry(copy, copy.length, clock.instant()));
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public InputStream reader(String path, long offset) throws IOException {
        byte[] content = getContent(path);
        if (offset < 0 || offset > content.length) {
            throw new IOException("offset " + offset + " outside object " + path + " of size " + content.length);
        }
        return new ByteArrayInputStream(content, (int) offset, content.length - (int) offset);
    }

    @Override
    public FileWriter writer(String path, boolean append) throws IOException {
        StoragePath.check(path);
        lock.writeLock().lock();
        try {
            Entry e = objects.get(path);
            if (e == null || !append) {
                e = new Entry(new byte[0], 0, clock.instant());
                objects.put(path, e);
            }
            return new MemoryWriter(path, e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public FileInfo stat(String path) throws IOException {
        StoragePath.check(path);
        lock.readLock().lock();
        try {
            Entry e = objects.get(path);
            if (e != null) {
                return new FileInfo(path, e.length, e.modifiedAt, false);
            }
            String prefix = path.equals("/") ? "/" : path + "/";
            Map.Entry<String, Entry> below = objects.ceilingEntry(prefix);
            if (below != null && below.getKey().startsWith(prefix)) {
                return new FileInfo(path, 0, below.getValue().modifiedAt, true);
            }
            throw new PathNotFoundException(path);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<String> list(String path) throws IOException {
        StoragePath.check(path);
        String prefix = path.equals("/") ? "/" : path + "/";
        lock.readLock().lock();
        try {
            TreeSet<String> children = new TreeSet<>();
            for (String key : objects.tailMap(prefix, true).keySet()) {
                if (!key.startsWith(prefix)) {
                    break;
                }
                int slash = key.indexOf('/', prefix.length());
                children.add(slash < 0 ? key : key.substring(0, slash));
            }
            if (children.isEmpty()) {
                throw new PathNotFoundException(path);
            }
            return new ArrayList<>(children);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void walk(String path, Consumer<FileInfo> visitor) {
        StoragePath.check(path);
        String prefix = path.equals("/") ? "/" : path + "/";
        List<FileInfo> found = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (Map.Entry<String, Entry> e : objects.tailMap(prefix, true).entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                found.add(new FileInfo(e.getKey(), e.getValue().length, e.getValue().modifiedAt, false));
            }
        } finally {
            lock.readLock().unlock();
        }
        found.forEach(visitor); // outside the lock: visitors may call back into the driver
    }

    @Override
    public void move(String sourcePath, String destPath) throws IOException {
        StoragePath.check(sourcePath);
        StoragePath.check(destPath);
        lock.writeLock().lock();
        try {
            Entry e = objects.remove(sourcePath);
            if (e == null) {
                throw new PathNotFoundException(sourcePath);
            }
            objects.put(destPath, e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void delete(String path) throws IOException {
        StoragePath.check(path);
        String prefix = path.equals("/") ? "/" : path + "/";
        lock.writeLock().lock();
        try {
            boolean found = objects.remove(path) != null;
            var below = objects.subMap(prefix, true, prefix + Character.MAX_VALUE, true);
            if (!below.isEmpty()) {
                found = true;
                below.clear();
            }
            if (!found) {
                throw new PathNotFoundException(path);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private final class MemoryWriter implements FileWriter {
        private final String path;
        private final Entry entry;

        MemoryWriter(String path, Entry entry) {
            this.path = path;
            this.entry = entry;
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
            lock.writeLock().lock();
            try {
                if (entry.length + length > entry.bytes.length) {
                    long wanted = Math.max((long) entry.length + length, (long) entry.bytes.length * 2);
                    if (wanted > Integer.MAX_VALUE - 16) {
                        throw new IllegalStateException("in-memory object too large: " + path);
                    }
                    entry.bytes = Arrays.copyOf(entry.bytes, (int) wanted);
                }
                System.arraycopy(buffer, offset, entry.bytes, entry.length, length);
                entry.length += length;
                entry.modifiedAt = clock.instant();
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public long size() {
            lock.readLock().lock();
            try {
                return entry.length;
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public void commit() {
        }

        @Override
        public void cancel() {
            lock.writeLock().lock();
            try {
                objects.remove(path, entry);
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public void close() {
        }
    }
}
