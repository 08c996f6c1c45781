package io.ocular.model;

/** Which inputs a model embeds. */
public enum ModelKind {
    IMAGE, TEXT, IMAGE_TEXT
}
