package dev.akua.registry.storage.driver;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Objects are files under a root directory. Atomic replacement is temp file + fsync + rename in the
 * same directory; temp files start with {@code .} so they never show in listings (the path grammar
 * forbids such names).
 */
public final class FilesystemDriver implements StorageDriver, LocalFileAccess {
    private static final int WRITE_BUFFER = 1024 * 1024;
    /** Writes shorter than this never take the O_DIRECT path. */
    private static final int DIRECT_MIN = 64 * 1024;
    private final Path root;
    /** Block size of the root's file system: what O_DIRECT offsets, lengths and buffers align to. */
    private final int alignment;
    /** Whether appends may bypass the page cache; turned off for good when the file system refuses. */
    private volatile boolean directWrites;

    public FilesystemDriver(Path root) {
        this(root, true);
    }

    /**
     * @param directWrites whether large appends (uploads) go to disk with {@code O_DIRECT}; falls back
     *                     to the page cache by itself where the file system does not support it
     */
    public FilesystemDriver(Path root, boolean directWrites) {
        try {
            this.root = Files.createDirectories(root.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create storage root " + root, e);
        }
        int blockSize;
        try {
            blockSize = (int) Math.min(Files.getFileStore(this.root).getBlockSize(), Integer.MAX_VALUE);
        } catch (IOException | UnsupportedOperationException e) {
            blockSize = 0;
        }
        boolean usable = blockSize > 0 && blockSize <= 64 * 1024 && Integer.bitCount(blockSize) == 1;
        this.alignment = usable ? blockSize : 4096;
        this.directWrites = directWrites && usable;
    }

    /** Whether uploads still go to disk with O_DIRECT (false once the file system refused it). */
    boolean directWritesOn() {
        return directWrites;
    }

    public Path root() {
        return root;
    }

    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public Path localPath(String path) {
        StoragePath.check(path);
        return path.equals("/") ? root : root.resolve(path.substring(1));
    }

    @Override
    public byte[] getContent(String path) throws IOException {
        try {
            return Files.readAllBytes(localPath(path));
        } catch (NoSuchFileException e) {
            throw new PathNotFoundException(path);
        } catch (IOException e) {
            if (Files.isDirectory(localPath(path))) {
                throw new PathNotFoundException(path);
            }
            throw e;
        }
    }

    @Override
    public void putContent(String path, byte[] content) throws IOException {
        write(path, content, true);
    }

    @Override
    public void putContentRelaxed(String path, byte[] content) throws IOException {
        write(path, content, false);
    }

    private void write(String path, byte[] content, boolean durable) throws IOException {
        Path target = localPath(path);
        Path dir = Files.createDirectories(target.getParent());
        Path temp = dir.resolve(".tmp-" + UUID.randomUUID());
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (durable) {
                ch.force(false);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        atomicMove(temp, target);
    }

    @Override
    public InputStream reader(String path, long offset) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(localPath(path), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new PathNotFoundException(path);
        }
        try {
            if (offset < 0 || offset > ch.size()) {
                throw new IOException("offset " + offset + " outside object " + path + " of size " + ch.size());
            }
            ch.position(offset);
            return Channels.newInputStream(ch);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public FileWriter writer(String path, boolean append) throws IOException {
        Path target = localPath(path);
        Files.createDirectories(target.getParent());
        // No O_APPEND: the writer writes at the offsets it counts itself, since part of the bytes
        // reach the file through a second, O_DIRECT descriptor.
        FileChannel ch = append
                ? FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)
                : FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return new ChannelWriter(target, ch, ch.size());
    }

    @Override
    public FileInfo stat(String path) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(localPath(path), BasicFileAttributes.class);
            return new FileInfo(path, a.isDirectory() ? 0 : a.size(), a.lastModifiedTime().toInstant(), a.isDirectory());
        } catch (NoSuchFileException e) {
            throw new PathNotFoundException(path);
        }
    }

    @Override
    public List<String> list(String path) throws IOException {
        Path dir = localPath(path);
        List<String> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            children.forEach(p -> {
                String name = p.getFileName().toString();
                if (!name.startsWith(".")) {
                    out.add(StoragePath.join(path, name));
                }
            });
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            throw new PathNotFoundException(path);
        }
        out.sort(null);
        return out;
    }

    @Override
    public void move(String sourcePath, String destPath) throws IOException {
        Path source = localPath(sourcePath);
        Path dest = localPath(destPath);
        if (!Files.exists(source)) {
            throw new PathNotFoundException(sourcePath);
        }
        Files.createDirectories(dest.getParent());
        try {
            atomicMove(source, dest);
        } catch (NoSuchFileException e) {
            throw new PathNotFoundException(sourcePath);
        }
    }

    @Override
    public void delete(String path) throws IOException {
        Path target = localPath(path);
        if (!Files.exists(target)) {
            throw new PathNotFoundException(path);
        }
        if (!Files.isDirectory(target)) {
            Files.deleteIfExists(target);
            return;
        }
        Files.walkFileTree(target, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                try {
                    Files.deleteIfExists(d);
                } catch (DirectoryNotEmptyException raced) {
                    // a concurrent writer created something below; leave it
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void walk(String path, Consumer<FileInfo> visitor) throws IOException {
        Path start = localPath(path);
        if (!Files.isDirectory(start)) {
            return;
        }
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return d.getFileName() != null && d.getFileName().toString().startsWith(".") && !d.equals(start)
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(".")) {
                    StringBuilder p = new StringBuilder();
                    for (Path part : root.relativize(file)) {
                        p.append('/').append(part);
                    }
                    visitor.accept(new FileInfo(p.toString(), attrs.size(), attrs.lastModifiedTime().toInstant(), false));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // removed while walking
                }
                throw exc;
            }
        });
    }

    private static void atomicMove(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("filesystem cannot rename atomically: " + target, e);
        }
    }

    /**
     * Appends through one native buffer of its own, sized by the first write (up to 1 MiB), so large
     * writes never allocate temporary native memory per call and small ones stay small.
     *
     * <p>Whole blocks at block-aligned offsets go through a second descriptor opened with
     * {@code O_DIRECT} (when {@link #directWrites} is on and the file system takes it): the disk reads
     * them straight from the buffer, so a large upload neither costs a CPU copy into the page cache nor
     * leaves hundreds of dirty megabytes for the closing fdatasync to wait for. That halves the time a
     * monolithic push spends after its last byte arrives (BENCHMARKS.md). The unaligned start of a
     * resumed upload and the last partial block go through the page cache as before; {@link #commit()}
     * still fdatasyncs, which makes the size and those pages durable and flushes the device cache.
     */
    private final class ChannelWriter implements FileWriter {
        private final Path file;
        private final FileChannel channel;
        private FileChannel directChannel;
        private boolean directTried;
        private ByteBuffer direct;
        private long size;
        private boolean closed;

        ChannelWriter(Path file, FileChannel channel, long size) {
            this.file = file;
            this.channel = channel;
            this.size = size;
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            if (direct == null || (direct.capacity() < length && direct.capacity() < WRITE_BUFFER)) {
                int capacity = Math.min(WRITE_BUFFER, Math.max(length, 4096));
                capacity = (capacity + alignment - 1) / alignment * alignment; // room for one block at least
                direct = ByteBuffer.allocateDirect(capacity + alignment).alignedSlice(alignment);
            }
            // Small writes (small blobs, manifests' configs) stay in the page cache: for them one
            // fdatasync costs the same and the second descriptor would not pay for itself.
            FileChannel bypass = length >= DIRECT_MIN ? directChannel() : null;
            int done = 0;
            while (done < length) {
                int remaining = length - done;
                int misaligned = (int) (size % alignment);
                boolean whole = bypass != null && misaligned == 0 && remaining >= alignment;
                int n;
                if (whole) {
                    n = Math.min(direct.capacity(), remaining) & -alignment;
                } else if (bypass != null && misaligned != 0) {
                    n = Math.min(remaining, alignment - misaligned); // up to the next block, then direct again
                } else {
                    n = Math.min(direct.capacity(), remaining);
                }
                direct.clear();
                direct.put(buffer, offset + done, n);
                direct.flip();
                if (whole) {
                    writeDirect(bypass);
                    bypass = directChannel; // null if that write made this writer give up O_DIRECT
                } else {
                    writeCached();
                }
                done += n;
                size += n;
            }
        }

        private void writeDirect(FileChannel bypass) throws IOException {
            long position = size;
            try {
                while (direct.hasRemaining()) {
                    position += bypass.write(direct, position);
                }
            } catch (IOException e) {
                // A file system may take O_DIRECT at open and refuse it on write (EINVAL). This writer
                // goes on through the page cache from where it was; a device error (EIO, ENOSPC) then
                // fails again there, and is thrown.
                closeDirect();
                channel.truncate(size);
                direct.rewind();
                writeCached();
            }
        }

        private void writeCached() throws IOException {
            long position = size;
            while (direct.hasRemaining()) {
                position += channel.write(direct, position);
            }
        }

        private FileChannel directChannel() {
            if (!directTried && directWrites) {
                directTried = true;
                try {
                    directChannel = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
                } catch (IOException | UnsupportedOperationException e) {
                    directWrites = false; // this file system does not take O_DIRECT (older tmpfs, some FUSE)
                }
            }
            return directChannel;
        }

        private void closeDirect() throws IOException {
            if (directChannel != null) {
                FileChannel c = directChannel;
                directChannel = null;
                c.close();
            }
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void commit() throws IOException {
            channel.force(false);
        }

        @Override
        public void cancel() throws IOException {
            close();
            Files.deleteIfExists(file);
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                try {
                    closeDirect();
                } finally {
                    channel.close();
                }
            }
        }
    }
}
