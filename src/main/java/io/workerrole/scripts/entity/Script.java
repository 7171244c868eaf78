package io.workerrole.scripts.entity;

import java.nio.file.Path;
import java.util.List;

/**
 * A script folder that can run.
 *
 * @param name the folder's name, which names the script ({@code script:NAME} is a triggered
 *             script's job type)
 * @param kind triggered or continuous
 * @param folder the script's folder
 * @param program the program in it that runs: {@code run.*} if there is one, else the first
 *                supported file in name order
 * @param command what starts the program, its path last (the interpreter and its options
 *                first, as {@code bash}, {@code python3 -u}, {@code java -jar}); the run's
 *                arguments follow it
 * @param settings its {@code settings.job}, or the defaults
 * @param version a fingerprint of the folder's files (names, sizes, times of change): another
 *                version means the folder changed
 */
public record Script(String name, ScriptKind kind, Path folder, Path program, List<String> command,
                     ScriptSettings settings, String version) {

    public Script {
        command = List.copyOf(command);
    }
}
