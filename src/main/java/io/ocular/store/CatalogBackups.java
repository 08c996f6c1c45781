package io.ocular.store;

import io.ocular.model.OcularException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies of the catalog in {@code <catalog folder>/backups/}, made with SQLite's online backup API (a
 * consistent snapshot while Ocular keeps reading and writing), before every schema migration and then
 * on a schedule ({@link BackupSchedule}); the newest {@link #keep} good copies are kept.
 *
 * <p>A copy counts only once it passes {@code PRAGMA quick_check}: a damaged catalog never replaces a good
 * backup (its copy is deleted and the older backups are kept). {@link #restore} never deletes either: the
 * catalog it replaces is moved to {@code backups/replaced-<time>/}.
 */
public final class CatalogBackups {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogBackups.class);

    public static final String FOLDER = "backups";
    public static final int DEFAULT_KEEP = 5;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("catalog-(\\d{8}T\\d{6}Z)(?:-(\\d+))?-([a-z0-9-]+)\\.db");

    /** One backup file; {@code reason} says why it was made (e.g. {@code before-v3}, {@code scheduled}). */
    public record Backup(Path file, Instant createdAt, String reason) {
    }

    /** What {@link #restore} did: the backup put in place, and where the replaced catalog files went. */
    public record Restored(Backup from, Optional<Path> replacedMovedTo, CatalogCheck.Report report) {
    }

    private final Path catalogFile;
    private final Path dir;
    private final int keep;
    private final Clock clock;

    public CatalogBackups(Path catalogFile, int keep, Clock clock) {
        this.catalogFile = catalogFile.toAbsolutePath().normalize();
        this.dir = this.catalogFile.resolveSibling(FOLDER);
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1: " + keep);
        }
        this.keep = keep;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Backups of {@code catalogFile}, keeping {@value #DEFAULT_KEEP}. */
    public static CatalogBackups of(Path catalogFile) {
        return new CatalogBackups(catalogFile, DEFAULT_KEEP, Clock.systemUTC());
    }

    public Path directory() {
        return dir;
    }

    public Path catalogFile() {
        return catalogFile;
    }

    /**
     * Backs up the catalog now from a connection of its own (the caller's connections keep working).
     *
     * @param reason lower-case words joined by '-', part of the file name
     * @throws OcularException when the copy cannot be written or the catalog is damaged (no backup kept)
     */
    public Backup backupNow(String reason) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        try (Connection c = config.createConnection("jdbc:sqlite:" + catalogFile)) {
            return backup(c, reason);
        } catch (SQLException e) {
            throw new OcularException("Could not back up the catalog " + catalogFile + ": " + e.getMessage(), e);
        }
    }

    /** Backs up the database of {@code source} (an open connection to the catalog). */
    public Backup backup(Connection source, String reason) throws SQLException {
        if (!reason.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("reason must be lower-case words joined by '-': " + reason);
        }
        Instant now = clock.instant();
        Path target = uniqueName(now, reason);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(tmp);
            int rc = source.unwrap(SQLiteConnection.class).getDatabase().backup("main", tmp.toString(), null);
            if (rc != 0) {
                throw new SQLException("SQLite backup failed with code " + rc, null, rc);
            }
            List<String> problems = CatalogCheck.quickCheck(tmp);
            if (!problems.isEmpty()) {
                throw new OcularException("The catalog " + catalogFile + " is damaged (" + problems.get(0)
                        + "); no backup was made and the existing backups were kept.");
            }
            moveAtomically(tmp, target);
        } catch (IOException e) {
            throw new OcularException("Could not write a catalog backup in " + dir + ": " + describe(e)
                    + ". Free some space or check the folder's permissions.", e);
        } finally {
            deleteQuietly(tmp);
        }
        Backup made = new Backup(target, now, reason);
        LOG.info("Backed up the catalog to {}", target);
        prune();
        return made;
    }

    /** The backups, newest first. */
    public List<Backup> list() {
        List<Backup> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "catalog-*.db")) {
            for (Path p : ds) {
                parse(p).ifPresent(out::add);
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the catalog backups in {}: {}", dir, e.getMessage());
        }
        out.sort(Comparator.comparing(Backup::createdAt).thenComparing(b -> b.file().getFileName().toString())
                .reversed());
        return out;
    }

    /** The newest backup that passes {@code PRAGMA quick_check}. */
    public Optional<Backup> newestGood() {
        for (Backup b : list()) {
            if (CatalogCheck.quickCheck(b.file()).isEmpty()) {
                return Optional.of(b);
            }
            LOG.warn("Catalog backup {} is damaged; skipping it", b.file());
        }
        return Optional.empty();
    }

    /** The newest backup's age, or empty when there is none. */
    public Optional<Duration> newestAge() {
        List<Backup> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(Duration.between(all.get(0).createdAt(), clock.instant()));
    }

    /**
     * Puts {@code backupFile} in place of the catalog (which must not be open). The backup is checked in full
     * first; the catalog it replaces, with its -wal and -shm files, is moved to {@code backups/replaced-<time>/}.
     *
     * @throws OcularException when the backup is damaged, not an Ocular catalog, or cannot be copied
     */
    public Restored restore(Path backupFile) {
        Path from = backupFile.toAbsolutePath().normalize();
        if (!Files.isRegularFile(from)) {
            throw new OcularException("There is no backup file " + from + ".");
        }
        CatalogCheck.Report report = CatalogCheck.check(from);
        if (!report.integrityOk() || !report.isCatalog()) {
            throw new OcularException("The backup " + from + " cannot be restored: " + report.summary()
                    + ". The catalog was left as it is.");
        }
        Backup b = parse(from).orElse(new Backup(from, lastModified(from), "file"));
        Instant now = clock.instant();
        Optional<Path> movedTo = Optional.empty();
        Path tmp = catalogFile.resolveSibling(catalogFile.getFileName() + ".restoring");
        try {
            Files.createDirectories(catalogFile.getParent());
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            List<Path> current = new ArrayList<>();
            for (String suffix : new String[]{"", "-wal", "-shm", "-journal"}) {
                Path p = catalogFile.resolveSibling(catalogFile.getFileName() + suffix);
                if (Files.exists(p)) {
                    current.add(p);
                }
            }
            if (!current.isEmpty()) {
                Path aside = dir.resolve("replaced-" + STAMP.format(now));
                for (int i = 2; Files.exists(aside); i++) {
                    aside = dir.resolve("replaced-" + STAMP.format(now) + "-" + i);
                }
                Files.createDirectories(aside);
                for (Path p : current) {
                    Files.move(p, aside.resolve(p.getFileName()));
                }
                movedTo = Optional.of(aside);
            }
            moveAtomically(tmp, catalogFile);
        } catch (IOException e) {
            throw new OcularException("Could not restore the backup " + from + " to " + catalogFile + ": "
                    + describe(e) + (movedTo.isPresent() ? ". The replaced catalog is in " + movedTo.get() : "")
                    + ".", e);
        } finally {
            deleteQuietly(tmp);
        }
        LOG.info("Restored the catalog {} from {} (replaced files moved to {})", catalogFile, from,
                movedTo.map(Path::toString).orElse("nowhere: there was no catalog"));
        return new Restored(b, movedTo, report);
    }

    /** Deletes all but the newest {@link #keep} backups. */
    private void prune() {
        List<Backup> all = list();
        for (Backup old : all.subList(Math.min(keep, all.size()), all.size())) {
            try {
                Files.deleteIfExists(old.file());
                LOG.info("Deleted old catalog backup {}", old.file());
            } catch (IOException e) {
                LOG.warn("Cannot delete old catalog backup {}: {}", old.file(), e.getMessage());
            }
        }
    }

    private Path uniqueName(Instant now, String reason) {
        String stamp = STAMP.format(now);
        Path p = dir.resolve("catalog-" + stamp + "-" + reason + ".db");
        for (int i = 2; Files.exists(p); i++) {
            p = dir.resolve("catalog-" + stamp + "-" + i + "-" + reason + ".db");
        }
        return p;
    }

    private static Optional<Backup> parse(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Backup(p, STAMP.parse(m.group(1), Instant::from), m.group(3)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Instant lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", p, e.getMessage());
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }
}
