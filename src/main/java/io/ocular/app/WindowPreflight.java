package io.ocular.app;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Checks, before JavaFX is touched, that the window can open: on Linux JavaFX's glass toolkit needs an X11
 * (or XWayland) display and the GTK 3 library, and without them it fails deep inside
 * {@code Platform.startup} with a stack trace ("Unable to open DISPLAY", "Unable to load glass GTK
 * library"). Instead, the launcher prints one plain paragraph saying what is missing, what to install, and
 * that the command line works, and exits with {@link #EXIT_CODE}.
 *
 * <p>Only Linux (and other X11 systems) are checked; macOS and Windows always have their toolkit. Headless
 * test runs that select the Monocle platform ({@code -Dglass.platform=Monocle}) are not checked either.
 * The environment and the library folders are passed in, so the check is testable without changing the
 * machine.
 */
final class WindowPreflight {

    /** Exit status of a launch that cannot open the window. */
    static final int EXIT_CODE = 3;

    /** JUL loggers JavaFX warns through; held here because JUL keeps loggers only weakly. */
    private static final List<Logger> QUIETED = new ArrayList<>();

    /**
     * Silences JavaFX's start-up warning "Unsupported JavaFX configuration: classes were loaded from 'unnamed
     * module'": Ocular runs JavaFX from one shaded jar on purpose, and the line means nothing to a user.
     * Errors still show.
     */
    static synchronized void quietJavaFxStartupWarning() {
        for (String name : List.of("javafx", "com.sun.javafx.application.PlatformImpl")) {
            Logger l = Logger.getLogger(name);
            l.setLevel(Level.SEVERE);
            QUIETED.add(l);
        }
    }

    /** GTK libraries JavaFX 21's glass can use (GTK 3 first; GTK 2 is its fallback). */
    static final List<String> GTK_LIBRARIES = List.of("libgtk-3.so.0", "libgtk-x11-2.0.so.0");

    private final String osName;
    private final Map<String, String> env;
    private final String glassPlatform;
    private final List<Path> libraryDirs;
    private final String command;

    /**
     * @param command how the user runs the CLI, as the message should show it (e.g.
     *                {@code /opt/ocular/bin/Ocular} or {@code java -jar ocular.jar})
     */
    WindowPreflight(String osName, Map<String, String> env, String glassPlatform, List<Path> libraryDirs,
                    String command) {
        this.osName = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        this.env = Map.copyOf(env);
        this.glassPlatform = glassPlatform;
        this.libraryDirs = List.copyOf(libraryDirs);
        this.command = command;
    }

    /** The check for this process: its OS, environment and the system's library folders. */
    static WindowPreflight forThisProcess() {
        Map<String, String> env = System.getenv();
        return new WindowPreflight(System.getProperty("os.name"), env, System.getProperty("glass.platform"),
                systemLibraryDirs(env.get("LD_LIBRARY_PATH"), Path.of("/etc/ld.so.conf.d")), commandForThisProcess());
    }

    /** The installed launcher (jpackage sets jpackage.app-path), {@code java -jar JAR}, or {@code ocular}. */
    static String commandForThisProcess() {
        String launcher = System.getProperty("jpackage.app-path");
        if (launcher != null && !launcher.isBlank()) {
            return launcher;
        }
        try {
            Path jar = Path.of(WindowPreflight.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(jar) && jar.toString().endsWith(".jar")) {
                return "java -jar " + jar;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (unusual class loader): the generic name below
        }
        return "ocular";
    }

    /** Why the window cannot open, as the paragraph the user sees, or empty when it can. */
    Optional<String> problem() {
        if (osName.startsWith("mac") || osName.startsWith("windows") || "Monocle".equalsIgnoreCase(glassPlatform)) {
            return Optional.empty();
        }
        if (isBlank(env.get("DISPLAY"))) {
            String why = isBlank(env.get("WAYLAND_DISPLAY"))
                    ? "no graphical display was found (the DISPLAY environment variable is not set, as on a server"
                            + " or over a plain SSH session)"
                    : "it found a Wayland session without X11 support (DISPLAY is not set); its window toolkit"
                            + " needs XWayland, which desktop sessions normally provide (package xwayland)";
            return Optional.of("Ocular cannot open its window: " + why + ". Start Ocular from a desktop session,"
                    + " or use 'ssh -X' to show the window on another machine. The command line works without a"
                    + " display: " + cliExamples());
        }
        if (findLibrary().isEmpty()) {
            return Optional.of("Ocular cannot open its window: the GTK 3 library (libgtk-3.so.0), which its window"
                    + " toolkit needs, is not installed. Install it and start Ocular again: on Debian or Ubuntu"
                    + " 'sudo apt install libgtk-3-0' (named libgtk-3-0t64 on Debian 13 and Ubuntu 24.04), on"
                    + " Fedora 'sudo dnf install gtk3', on Arch 'sudo pacman -S gtk3'. The command line works"
                    + " without it: " + cliExamples());
        }
        return Optional.empty();
    }

    /**
     * The paragraph for a toolkit that failed to start although the checks passed (e.g. DISPLAY names a
     * display that is not running, or this user may not use it).
     */
    String toolkitFailed(Throwable failure) {
        String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        String display = env.getOrDefault("DISPLAY", "");
        return "Ocular cannot open its window: the window toolkit could not start (" + reason.strip() + ")."
                + (display.isBlank() ? "" : " Check that the display " + display + " is running and that you may"
                        + " use it (in a desktop session it normally is; over SSH connect with 'ssh -X').")
                + " The command line works without a display: " + cliExamples();
    }

    private String cliExamples() {
        return "run '" + command + " --help' (for example '" + command + " index ~/Pictures', then '" + command
                + " search --image photo.jpg').";
    }

    /** The first GTK library found in the library folders. */
    Optional<Path> findLibrary() {
        for (String lib : GTK_LIBRARIES) {
            for (Path dir : libraryDirs) {
                Path p = dir.resolve(lib);
                if (Files.exists(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Where the dynamic linker looks: {@code LD_LIBRARY_PATH}, the folders listed in
     * {@code /etc/ld.so.conf.d/*.conf}, and the standard system folders.
     */
    static List<Path> systemLibraryDirs(String ldLibraryPath, Path ldSoConfD) {
        Set<Path> dirs = new LinkedHashSet<>();
        if (!isBlank(ldLibraryPath)) {
            for (String d : ldLibraryPath.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        if (Files.isDirectory(ldSoConfD)) {
            try (DirectoryStream<Path> confs = Files.newDirectoryStream(ldSoConfD, "*.conf")) {
                for (Path conf : confs) {
                    for (String line : Files.readAllLines(conf)) {
                        String l = line.strip();
                        if (l.startsWith("/")) {
                            dirs.add(Path.of(l));
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // unreadable linker configuration: the standard folders below still apply
            }
        }
        for (String d : List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib",
                "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                "/usr/lib/aarch64-linux-gnu")) {
            dirs.add(Path.of(d));
        }
        return new ArrayList<>(dirs);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
