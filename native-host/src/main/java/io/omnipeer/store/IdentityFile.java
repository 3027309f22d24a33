package io.omnipeer.store;

import io.omnipeer.core.DecodingException;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.core.crypto.PrivateKey;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The node's identity key on disk: the libp2p {@code PrivateKey} protobuf (peer-ids.md, "Keys"),
 * mode 0600. Created on first start; written to a temporary file, fsynced and atomically renamed, so
 * a crash leaves either no file or a whole one, never a torn key (which would change the peer ID).
 */
public final class IdentityFile {
    /** A marshalled Ed25519 private key is 68 bytes; anything far larger is not ours. */
    private static final long MAX_FILE_BYTES = 4096;

    private IdentityFile() {
    }

    /**
     * Reads the key at {@code path}, or generates an Ed25519 key and writes it there if the file is absent.
     *
     * @throws IOException if the file cannot be read or written, or holds something that is not a key
     *                     (the file is then left untouched, never overwritten)
     */
    public static PrivateKey loadOrCreate(Path path) throws IOException {
        if (Files.exists(path)) {
            return load(path);
        }
        PrivateKey key = Ed25519PrivateKey.generate();
        write(path, key.marshal());
        return key;
    }

    /** @throws IOException if unreadable, too large or not a libp2p private key */
    public static PrivateKey load(Path path) throws IOException {
        if (Files.size(path) > MAX_FILE_BYTES) {
            throw new IOException("identity file " + path + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        try {
            return PrivateKey.unmarshal(Files.readAllBytes(path));
        } catch (DecodingException e) {
            throw new IOException("identity file " + path + " is not a libp2p private key: " + e.getMessage(), e);
        }
    }

    private static void write(Path path, byte[] bytes) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".identity", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path);
            }
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for fsync; the rename is still atomic there.
        }
    }
}
