package io.workerrole.scripts.control;

import io.workerrole.scripts.entity.Script;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What starts one run of a program.
 *
 * @param command the program's command and its arguments
 * @param directory the working directory: the folder the program runs from
 * @param environment what is added to the server's environment
 * @param shutdownFile the file whose appearance asks the program to stop
 */
record ProcessLaunch(List<String> command, Path directory, Map<String, String> environment, Path shutdownFile) {

    ProcessLaunch {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    /**
     * @param programFolder the folder the program runs from: the script's own, or the run's copy of it
     * @return the launch of a script's program from that folder, with the run's arguments after its command
     */
    static ProcessLaunch forScript(Script script, Path programFolder, List<String> arguments, Map<String, String> environment,
                                   Path shutdownFile) {
        List<String> command = new ArrayList<>(script.command());
        // The command ends with the program's path: in a copy, the copy's program runs.
        command.set(command.size() - 1, programFolder.resolve(script.folder().relativize(script.program())).toString());
        command.addAll(arguments);
        return new ProcessLaunch(command, programFolder, environment, shutdownFile);
    }
}
