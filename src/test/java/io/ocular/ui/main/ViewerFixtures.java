package io.ocular.ui.main;

import io.ocular.ui.common.Choosers;
import io.ocular.ui.common.FxThumbnails;
import io.ocular.ui.common.SystemPlayer;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.ViewContext;
import javafx.stage.Window;

import java.nio.file.Path;

/** A {@link ViewerView} on its own for TestFX tests: no thumbnails, no choosers, actions that do nothing. */
final class ViewerFixtures {

    private ViewerFixtures() {
    }

    /** The viewer of {@code vm}, confirming everything, opening videos it cannot play with {@code player}. */
    static ViewerView view(ViewerViewModel vm, UiExecutors ex, SystemPlayer player) {
        ViewContext ctx = new ViewContext(FxThumbnails.loader(p -> null), (title, text, action) -> true,
                new Choosers() {
                    @Override
                    public Path chooseFolder(Window owner, String title) {
                        return null;
                    }

                    @Override
                    public Path chooseFile(Window owner, String title) {
                        return null;
                    }
                }, ex);
        return new ViewerView(vm, ctx, new ViewerView.Actions() {
            @Override
            public void moreLikeThis(ResultItem item) {
            }

            @Override
            public void findObject(ResultItem item) {
            }

            @Override
            public void showMatch(ResultItem item) {
            }

            @Override
            public void composeFrom() {
            }

            @Override
            public void reveal(ResultItem item) {
            }
        }, player);
    }
}
