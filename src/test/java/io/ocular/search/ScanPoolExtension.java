package io.ocular.search;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One scan pool for a whole test class, closed after its last test: register it as a static field with
 * {@code @RegisterExtension} instead of repeating a {@code @BeforeAll}/{@code @AfterAll} pair in every index test.
 */
final class ScanPoolExtension implements AfterAllCallback {
    private final ScanPool pool;

    ScanPoolExtension(int threads) {
        this.pool = new ScanPool(threads);
    }

    ScanPool pool() {
        return pool;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        pool.close();
    }
}
