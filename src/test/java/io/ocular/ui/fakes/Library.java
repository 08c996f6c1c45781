package io.ocular.ui.fakes;

import java.nio.file.Path;

/** A catalog with {@code n} indexed images named img01.jpg.. (vectors: none) and the fakes around it. */
public final class Library {
    public final UiTestCatalog catalog = new UiTestCatalog();
    public final FakeIndexer indexer = new FakeIndexer(catalog);
    public final FakeSearchService search = new FakeSearchService(catalog);
    public final long folderId;

    public Library(Path folder, int n, String... names) {
        catalog.setActiveModelId("fake");
        folderId = catalog.addFolder(folder).id();
        for (int i = 1; i <= n; i++) {
            String name = i <= names.length ? names[i - 1] : String.format("img%02d.jpg", i);
            float[] v = new float[] {(float) Math.cos(i), (float) Math.sin(i)};
            catalog.addImage(folderId, folder.resolve(name), v);
        }
    }
}
