package io.ocular.ui;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.text.Text;
import org.controlsfx.control.GridView;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a person sees of the window's words: every showing {@link Labeled} (labels, buttons, tab headers, menu
 * bar buttons, combo box cells) with the text its skin actually draws. A label is truncated when its skin's
 * {@link Text} shows something else than its text (JavaFX puts the ellipsis there); a key is missing when the
 * text is a raw {@code %key} (FXML without the bundle) or {@code !key!} ({@code Messages} without the key).
 */
public final class WindowText {
    private static final Pattern RAW_KEY = Pattern.compile("^%[A-Za-z]|^![A-Za-z0-9_.]+!$");
    private static final Pattern FILE = Pattern.compile("^/|\\.[A-Za-z0-9]{3,4}$");

    private WindowText() {
    }

    /** One visible label's text as set and as drawn. */
    public record Shown(Labeled node, String text, String drawn) {
        public boolean truncated() {
            return drawn != null && !drawn.equals(withoutMnemonic());
        }

        /** The text as drawn when nothing is cut: "파일(_F)" is drawn "파일(F)" with F underlined. */
        private String withoutMnemonic() {
            if (!node.isMnemonicParsing()) {
                return text;
            }
            int i = text.indexOf('_');
            return i < 0 || i == text.length() - 1 ? text : text.substring(0, i) + text.substring(i + 1);
        }

        /** A file name or path, the user's own words, cut (with a tooltip) where space is short. */
        public boolean isFileName() {
            return FILE.matcher(text).find();
        }

        public boolean rawKey() {
            return RAW_KEY.matcher(text).find();
        }

        @Override
        public String toString() {
            String id = node.getId() != null ? "#" + node.getId() : node.getClass().getSimpleName();
            return id + " \"" + text + "\"" + (truncated() ? " drawn as \"" + drawn + "\"" : "");
        }
    }

    /** Every showing labeled node with text under {@code root}. */
    public static List<Shown> shown(Parent root) {
        List<Shown> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Node node, List<Shown> out) {
        if (!node.isVisible()) {
            return;
        }
        if (node instanceof Labeled l && l.getText() != null && !l.getText().isBlank()) {
            out.add(new Shown(l, l.getText(), drawn(l)));
        }
        if (node instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                collect(child, out);
            }
        }
    }

    private static String drawn(Labeled l) {
        for (Node child : l.getChildrenUnmodifiable()) {
            if (child instanceof Text t && child.getStyleClass().contains("text")) {
                return t.getText();
            }
        }
        return null;
    }

    /**
     * Labels cut short with an ellipsis. Labels made to be cut at the front (a current file's long path,
     * {@link OverrunStyle#LEADING_ELLIPSIS}) and file names (the user's own, long or short, with the full path
     * in a tooltip) are left out: the window's own words must fit.
     */
    public static List<Shown> truncated(Parent root) {
        return shown(root).stream()
                .filter(s -> s.truncated() && s.node().getTextOverrun() != OverrunStyle.LEADING_ELLIPSIS
                        && !s.isFileName())
                .toList();
    }

    public static List<Shown> rawKeys(Parent root) {
        return shown(root).stream().filter(Shown::rawKey).toList();
    }

    /**
     * Labels that stick out of the window's right or bottom edge, where nothing scrolls them into view (inside
     * a scroll pane, list, grid or split pane, a label out of view is reachable).
     */
    public static List<Shown> outsideWindow(Parent root) {
        Scene scene = root.getScene();
        List<Shown> out = new ArrayList<>();
        for (Shown s : shown(root)) {
            if (insideScroller(s.node())) {
                continue;
            }
            Bounds b = s.node().localToScene(s.node().getLayoutBounds());
            if (b.getMaxX() > scene.getWidth() + 1 || b.getMaxY() > scene.getHeight() + 1) {
                out.add(s);
            }
        }
        return out;
    }

    private static boolean insideScroller(Node n) {
        for (Node p = n.getParent(); p != null; p = p.getParent()) {
            if (p instanceof ScrollPane || p instanceof ListView || p instanceof GridView || p instanceof SplitPane) {
                return true;
            }
        }
        return false;
    }
}
