package io.ocular.index;

import io.ocular.embed.BuiltinDescriptor;
import io.ocular.embed.ImageEncoder;
import io.ocular.model.ImageRecord;
import io.ocular.model.IndexProgress;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.search.ScanPool;
import io.ocular.search.StormCodes;
import io.ocular.store.Catalog;
import io.ocular.store.SqliteCatalog;
import io.ocular.testing.FakeImageEncoder;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Child JVM of {@link KillStormTest}: one full "session" of the app's background work on a data folder, printing
 * {@code phase=X} as it enters each part (and {@code write} as each batch commit starts) so that the parent can kill it there: index the library with model A
 * (scan, embed, write), the follow-up pass, a model switch to B (re-embedding every photo), the follow-up pass
 * again, and compact-code training for B. Every step is the idempotent real code: a restart after a kill redoes
 * only what was not committed. Prints {@code FINISHED} at the end. Args: data folder, library folder.
 */
public final class KillStormChild {
    static final String FOLLOW_UP_KIND = "storm-sha256";
    static final ModelInfo MODEL_A = BuiltinDescriptor.info();
    static final String MODEL_B_ID = "storm-colour-v1";
    static final ModelInfo MODEL_B = new ModelInfo(MODEL_B_ID, MODEL_B_ID, ModelKind.IMAGE, FakeImageEncoder.DIMENSION, "");

    private KillStormChild() {
    }

    private static String lastPhase = "";

    /** Announces a phase (once), when the current one is one of {@code after} (any when empty). */
    static synchronized void mark(String name, String... after) {
        if (!name.equals(lastPhase) && (after.length == 0 || List.of(after).contains(lastPhase))) {
            lastPhase = name;
            System.out.println("phase=" + name);
            System.out.flush();
        }
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path library = Path.of(args[1]);
        ImageEncoder a = new BuiltinDescriptor();
        ImageEncoder b = new FakeImageEncoder(MODEL_B_ID, 32);
        AtomicReference<ImageEncoder> active = new AtomicReference<>(a);
        mark("open");
        try (SqliteCatalog sqlite = SqliteCatalog.open(data.resolve("catalog.db"));
             ScanPool pool = new ScanPool(1)) {
            Catalog catalog = announcingWrites(sqlite);
            try (IndexingDaemon daemon = new IndexingDaemon(catalog, active::get, new ImageDecoder(),
                    IndexingDaemon.Config.defaults().withWorkers(2).withBatchSize(16).withWatching(null),
                    List.of(new HashPass()))) {
                daemon.addListener(p -> {
                    if (p.state() == IndexProgress.State.INDEXING) {
                        mark("embed", "scan", "switch"); // the follow-up pass reports INDEXING too
                    }
                });
                // model A first: a restart after a kill in the switch switches back (a model switch too)
                if (!sqlite.activeModelId().map(MODEL_A.id()::equals).orElse(false)) {
                    daemon.activateModel(MODEL_A);
                }
                mark("scan");
                daemon.addFolder(library);
                await(daemon);
                mark("switch"); // until the re-embedding starts: the switch written, the rescan's scan
                active.set(b);
                daemon.activateModel(MODEL_B);
                daemon.rescan();
                await(daemon);
            }
            mark("train");
            Path codes = data.resolve("codes");
            StormCodes.trainAndSave(sqlite.loadEmbeddings(MODEL_B_ID), codes, pool);
        }
        System.out.println("FINISHED");
        System.out.flush();
    }

    private static void await(IndexingDaemon daemon) throws InterruptedException {
        if (!daemon.awaitIdle(Duration.ofMinutes(10))) {
            throw new IllegalStateException("indexing did not finish");
        }
    }

    /** The catalog, announcing each batch commit (phase=write) just before it starts. */
    private static Catalog announcingWrites(Catalog real) {
        return (Catalog) Proxy.newProxyInstance(Catalog.class.getClassLoader(), new Class<?>[]{Catalog.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commitBatch")) {
                        System.out.println("write"); // a moment inside a phase, not a phase of its own
                        System.out.flush();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A follow-up pass storing each photo's SHA-256 (deterministic, so two catalogs can be compared). */
    static final class HashPass implements FollowUpPass {
        @Override
        public String kind() {
            return FOLLOW_UP_KIND;
        }

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public Optional<Preparation> prepare(List<ImageRecord> pending) {
            mark("followup");
            return Optional.of(Preparation.ready());
        }

        @Override
        public byte[] compute(ImageRecord image) {
            try {
                Thread.sleep(2); // a real pass (local features) costs far more per photo: a phase worth hitting
                return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(image.path()));
            } catch (IOException | NoSuchAlgorithmException e) {
                return new byte[0];
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e); // skipped for this run, redone by the next
            }
        }
    }
}
