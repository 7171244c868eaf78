package io.workerrole.scripts.control;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The programs that run scripts other than executable files: each a command name looked up on
 * the {@code PATH} (as {@code ProcessBuilder} does) or a path.
 *
 * @param bash runs {@code .sh} files
 * @param python runs {@code .py} files (with {@code -u})
 * @param node runs {@code .js} files
 * @param java runs {@code .jar} files (with {@code -jar})
 */
public record Interpreters(String bash, String python, String node, String java) {

    public Interpreters {
        for (String command : new String[] {bash, python, node, java}) {
            if (command == null || command.isBlank()) {
                throw new IllegalArgumentException("an interpreter's command cannot be empty");
            }
        }
    }

    /** @return bash, python3 and node from the {@code PATH}, and the server's own Java */
    public static Interpreters defaults() {
        return new Interpreters("bash", "python3", "node", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * @param command an interpreter's command
     * @return whether it can be started: a path names an executable file, a bare name is an
     *         executable file in a folder of the {@code PATH}
     */
    static boolean isInstalled(String command) {
        if (command.contains(File.separator)) {
            return isExecutableFile(command);
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String folder : path.split(File.pathSeparator)) {
            // An empty PATH entry means the current folder, whose meaning for a server is an accident.
            if (!folder.isEmpty() && isExecutableFile(folder + File.separator + command)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isExecutableFile(String file) {
        try {
            Path path = Path.of(file);
            return Files.isRegularFile(path) && Files.isExecutable(path);
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
