package io.ocular.app;

import io.ocular.cli.TempDirs;
import io.ocular.embed.ImageEncoder;
import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.engine.ModelService;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.Query;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchResult;
import io.ocular.store.SqliteCatalog;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code ocular --self-test}: checks an installation end to end without touching the user's photos. Opens the
 * user's catalog (read and migrate only), opens every installed image encoder on one image, then indexes and
 * searches a few generated photos in a temporary data folder. Prints one line per check and {@code OK}, or
 * {@code FAILED: reason}; the exit code is 0 or 1.
 */
final class SelfTest {
    private SelfTest() {
    }

    static int run(AppPaths user, PrintStream out) {
        Path temp = null;
        try {
            out.println("Ocular " + version() + " self-test (Java " + System.getProperty("java.version") + ", "
                    + System.getProperty("os.name") + ")");
            user.createDirectories();
            try (SqliteCatalog catalog = SqliteCatalog.open(user.catalogFile())) {
                out.println("catalog: " + user.catalogFile() + " (" + catalog.stats() + ")");
            }
            ModelService models = ModelService.open(user);
            BufferedImage probe = swatch(Color.ORANGE, 64);
            for (ModelInfo m : models.available()) {
                if (m.kind() == ModelKind.TEXT) {
                    continue;
                }
                try (ImageEncoder enc = models.openImageEncoder(m.id())) {
                    float[] v = enc.encode(List.of(probe))[0];
                    out.println("encoder " + m.id() + ": " + v.length + " dimensions");
                }
            }
            temp = Files.createTempDirectory("ocular-self-test");
            Path photos = Files.createDirectories(temp.resolve("photos"));
            Color[] colours = {Color.RED, new Color(230, 20, 30), Color.BLUE, new Color(20, 30, 220), Color.GREEN};
            for (int i = 0; i < colours.length; i++) {
                ImageIO.write(swatch(colours[i], 96), "png", photos.resolve("photo-" + i + ".png").toFile());
            }
            try (Engine ocular = Engine.open(AppPaths.under(temp.resolve("data")).createDirectories(), null)) {
                ocular.indexer().addFolder(photos);
                if (!ocular.indexer().awaitIdle(Duration.ofMinutes(2))) {
                    return fail(out, "indexing a few photos did not finish in time");
                }
                SearchResult r = ocular.search().search(new Query.ByFile(photos.resolve("photo-0.png")), 2);
                List<SearchHit> hits = r.hits();
                if (hits.isEmpty() || !hits.get(0).path().getFileName().toString().equals("photo-1.png")) {
                    return fail(out, "search did not find the photo most like the query: " + hits);
                }
                out.println("index + search: " + ocular.catalog().stats() + ", top hit " + hits.get(0).path().getFileName());
            }
            out.println("OK");
            return 0;
        } catch (Exception | LinkageError e) {
            return fail(out, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            TempDirs.deleteRecursively(temp);
        }
    }

    private static int fail(PrintStream out, String why) {
        out.println("FAILED: " + why);
        return 1;
    }

    static String version() {
        String v = SelfTest.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static BufferedImage swatch(Color c, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, size, size);
        g.setColor(c.darker());
        g.fillOval(size / 4, size / 4, size / 2, size / 2);
        g.dispose();
        return img;
    }
}
