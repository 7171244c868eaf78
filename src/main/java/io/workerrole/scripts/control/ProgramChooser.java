package io.workerrole.scripts.control;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds the program of a script folder and the command that starts it, as WebJobs does:
 * <ol>
 *   <li>a file named {@code run} or {@code run.*}, if one is supported; of several, the first by
 *       type in the order {@code .sh}, {@code .py}, {@code .js}, {@code .jar}, executable file;</li>
 *   <li>else the first {@code .sh}, {@code .py}, {@code .js} or {@code .jar} file in name order;</li>
 *   <li>else the first executable file in name order.</li>
 * </ol>
 * Files with one of the four extensions come before files that are only executable, because
 * files unpacked from an archive are often all executable, a {@code README.md} beside a
 * {@code report.py} among them. Names and extensions count whatever their case. Only the folder's own
 * files are candidates, a symbolic link to a file elsewhere too; {@code settings.job}, hidden
 * files and folders never are.
 * <p>
 * The choice does not depend on what is installed: a folder whose program needs node, where
 * node is missing, is a problem rather than a folder whose second-best file runs instead.
 */
public final class ProgramChooser {

    /** The names of a folder's files shown in the error of a folder without a program. */
    static final int MAX_LISTED_FILES = 10;

    /**
     * A folder's program.
     *
     * @param file the program's file, an absolute path
     * @param command what starts it: the interpreter and its options, then the file
     */
    public record Program(Path file, List<String> command) {

        public Program {
            command = List.copyOf(command);
        }
    }

    /** The kinds of program, in the order of preference among {@code run.*} files. */
    private enum Type {
        SHELL(".sh", Interpreters::bash),
        PYTHON(".py", Interpreters::python),
        NODE(".js", Interpreters::node),
        JAR(".jar", Interpreters::java),
        EXECUTABLE(null, null);

        final String extension;
        final Function<Interpreters, String> interpreter;

        Type(String extension, Function<Interpreters, String> interpreter) {
            this.extension = extension;
            this.interpreter = interpreter;
        }

        /** @return the type of the file, if it is a program of any */
        static Optional<Type> of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            for (Type type : values()) {
                if (type.extension != null && name.endsWith(type.extension)) {
                    return Optional.of(type);
                }
            }
            return Files.isExecutable(file) ? Optional.of(EXECUTABLE) : Optional.empty();
        }

        List<String> command(Interpreters interpreters, Path file) {
            return switch (this) {
                case SHELL, NODE -> List.of(interpreter.apply(interpreters), file.toString());
                // Unbuffered, so that each line reaches the log when the program writes it.
                case PYTHON -> List.of(interpreters.python(), "-u", file.toString());
                case JAR -> List.of(interpreters.java(), "-jar", file.toString());
                case EXECUTABLE -> List.of(file.toString());
            };
        }
    }

    private record Candidate(Path file, String name, Type type) {

        boolean isRun() {
            String lower = name.toLowerCase(Locale.ROOT);
            return lower.equals("run") || lower.startsWith("run.");
        }
    }

    private final Interpreters interpreters;

    public ProgramChooser(Interpreters interpreters) {
        this.interpreters = interpreters;
    }

    /**
     * @param folder a script folder
     * @return its program
     * @throws InvalidScriptException if it has none, its program's interpreter is not installed,
     *         or the folder cannot be read
     */
    public Program choose(Path folder) {
        List<Path> files = files(folder);
        List<Candidate> candidates = new ArrayList<>();
        for (Path file : files) {
            Type.of(file).ifPresent(type -> candidates.add(new Candidate(file, file.getFileName().toString(), type)));
        }
        Comparator<Candidate> byName = Comparator.comparing(Candidate::name);
        Candidate chosen = candidates.stream().filter(Candidate::isRun).min(Comparator.comparing(Candidate::type).thenComparing(byName))
                .or(() -> candidates.stream().filter(c -> c.type() != Type.EXECUTABLE).min(byName))
                .or(() -> candidates.stream().min(byName))
                .orElseThrow(() -> new InvalidScriptException(noProgram(files)));
        if (chosen.type().interpreter != null) {
            String interpreter = chosen.type().interpreter.apply(interpreters);
            if (!Interpreters.isInstalled(interpreter)) {
                throw new InvalidScriptException("a " + chosen.type().extension + " program (" + chosen.name() + ") needs "
                        + interpreter + ", which is not installed (" + (interpreter.contains(File.separator)
                        ? "not an executable file" : "not found on the PATH") + ")");
            }
        }
        Path file = chosen.file().toAbsolutePath();
        return new Program(file, chosen.type().command(interpreters, file));
    }

    /** @return the folder's regular files (through symbolic links) that may be programs, by name */
    private static List<Path> files(Path folder) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(".") && !name.equals(SettingsJob.FILE_NAME) && Files.isRegularFile(entry)) {
                    files.add(entry);
                }
            }
        } catch (IOException e) {
            throw new InvalidScriptException("the folder cannot be read: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        files.sort(Comparator.comparing(f -> f.getFileName().toString()));
        return files;
    }

    private static String noProgram(List<Path> files) {
        String found = files.isEmpty() ? "it has no other files"
                : "its files are " + files.stream().limit(MAX_LISTED_FILES).map(f -> f.getFileName().toString())
                        .collect(Collectors.joining(", ")) + (files.size() > MAX_LISTED_FILES ? ", ..." : "");
        return "no program: put a run.sh, run.py, run.js or run.jar in the folder (or any .sh, .py, .js, .jar"
                + " or executable file; " + SettingsJob.FILE_NAME + " and hidden files are not programs); " + found;
    }
}
