package io.ocular.ui.main;

/** A user's relevance mark on a result. */
public enum Mark {
    NONE, RELEVANT, NOT_RELEVANT
}
