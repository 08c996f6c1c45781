package io.ocular.app;

/**
 * Entry point of {@code ocular.jar}: with a command it is the CLI, without one it opens the window.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("Ocular");
    }
}
