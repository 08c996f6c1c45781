package io.ocular.ui.common;

import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;

/** Native folder/file pickers behind a seam, so view tests can answer without a native dialog. */
public interface Choosers {

    /** A folder, or null when the user cancelled. */
    Path chooseFolder(Window owner, String title);

    /** A file or null. */
    Path chooseFile(Window owner, String title);

    static Choosers native_() {
        return new Choosers() {
            @Override
            public Path chooseFolder(Window owner, String title) {
                DirectoryChooser chooser = new DirectoryChooser();
                chooser.setTitle(title);
                File f = chooser.showDialog(owner);
                return f == null ? null : f.toPath();
            }

            @Override
            public Path chooseFile(Window owner, String title) {
                FileChooser chooser = new FileChooser();
                chooser.setTitle(title);
                File f = chooser.showOpenDialog(owner);
                return f == null ? null : f.toPath();
            }
        };
    }
}
