package io.ocular.engine;

import io.ocular.model.OcularException;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This computer's name in a shared library: its mounts of the library folders and its indexing claims are keyed
 * by it. Made once per data folder ({@value #FILE}: the host name and 8 random hex digits, so two data folders on
 * one machine are two computers) and kept.
 */
public final class ComputerId {
    static final String FILE = "computer-id";

    private ComputerId() {
    }

    /** The id kept in {@code dataDir}, made on first use. */
    public static String of(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            byte[] random = new byte[4];
            new SecureRandom().nextBytes(random);
            String id = host() + "-" + HexFormat.of().formatHex(random);
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, FILE, ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return id;
        } catch (IOException e) {
            throw new OcularException("Cannot keep this computer's id in " + file + " (" + e.getMessage()
                    + "); choose a writable data folder.", e);
        }
    }

    private static String host() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h == null || h.isBlank() ? "computer" : h.replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (IOException e) {
            return "computer";
        }
    }
}
