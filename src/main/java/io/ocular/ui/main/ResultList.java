package io.ocular.ui.main;

import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.ObservableListBase;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The grid's results: search hits (a plain list) or the browsed library ({@link LibraryItems}, made a page at a
 * time). {@link #setAll(Collection)} copies, as any observable list; {@link #show(List)} shows a list as it is,
 * without copying or walking it, and tells listeners "everything replaced" with the old list as the removed
 * part (an {@link javafx.collections.FXCollections#observableArrayList()} would copy 1M library items into
 * itself, and its change event copy them again; issue 13). Read-only otherwise. UI thread.
 */
final class ResultList extends ObservableListBase<ResultItem> {
    private List<ResultItem> items = List.of();

    @Override
    public ResultItem get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public int indexOf(Object o) {
        return items.indexOf(o);
    }

    @Override
    public boolean contains(Object o) {
        return items.contains(o);
    }

    /** The date of the item at {@code index}, without making a library item. */
    Instant dateAt(int index) {
        return items instanceof LibraryItems library ? library.dateAt(index) : items.get(index).date();
    }

    /** What is shown now (a {@link LibraryItems} while browsing). */
    List<ResultItem> shown() {
        return items;
    }

    @Override
    public boolean setAll(Collection<? extends ResultItem> col) {
        show(new ArrayList<>(col));
        return true;
    }

    /** Shows {@code list} as it is (not copied: the caller does not change it afterwards). */
    void show(List<ResultItem> list) {
        List<ResultItem> old = items;
        items = list;
        if (old.isEmpty() && list.isEmpty()) {
            return;
        }
        fireChange(new Replaced(this, old, list.size()));
    }

    /** One change: all of {@code old} replaced by the list's {@code size} items. */
    private static final class Replaced extends ListChangeListener.Change<ResultItem> {
        private final List<ResultItem> removed;
        private final int size;
        private int cursor = -1;

        Replaced(ObservableList<ResultItem> list, List<ResultItem> removed, int size) {
            super(list);
            this.removed = removed;
            this.size = size;
        }

        @Override
        public boolean next() {
            cursor++;
            return cursor == 0;
        }

        @Override
        public void reset() {
            cursor = -1;
        }

        @Override
        public int getFrom() {
            checkState();
            return 0;
        }

        @Override
        public int getTo() {
            checkState();
            return size;
        }

        @Override
        public List<ResultItem> getRemoved() {
            checkState();
            return removed;
        }

        @Override
        protected int[] getPermutation() {
            checkState();
            return new int[0];
        }

        private void checkState() {
            if (cursor != 0) {
                throw new IllegalStateException("call next() first");
            }
        }
    }
}
