package io.workerrole.scripts.control;

import io.workerrole.scripts.entity.Script;
import io.workerrole.scripts.entity.ScriptKind;
import io.workerrole.scripts.entity.ScriptProblem;
import io.workerrole.scripts.entity.ScriptSettings;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the scripts folder as WebJobs lays it out, {@code triggered/NAME/} and
 * {@code continuous/NAME/}, into the scripts that can run and the folders that cannot, with the
 * reason for each. One bad folder never hides the others.
 * <p>
 * A missing scripts folder, or a missing {@code triggered} or {@code continuous} folder in it,
 * holds no scripts. Entries whose names start with a dot are left out (editors' and copy tools'
 * temporary files); any other file, or a folder whose name cannot name a job type, is a problem.
 * A name in both {@code triggered/} and {@code continuous/} is taken by the triggered script, and
 * the continuous folder is a problem: the API addresses scripts by name alone.
 * <p>
 * A scan is a snapshot and needs no lock against an admin copying a folder in: a half-copied
 * folder is read as it is, and the next scan sees the finished one under another version. The
 * scan only reads; reporting what changed since the last one is for its caller.
 */
public final class ScriptFolders {

    /** A script folder's name: {@code script:NAME} is a job type, at most 100 characters. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,89}");

    /**
     * What a scan found, each list in kind then name order.
     *
     * @param scripts the folders that can run
     * @param problems the folders that cannot, and why
     */
    public record Scan(List<Script> scripts, List<ScriptProblem> problems) {

        public Scan {
            scripts = List.copyOf(scripts);
            problems = List.copyOf(problems);
        }
    }

    private final ProgramChooser programs;

    /** @param interpreters the commands that run {@code .sh}, {@code .py}, {@code .js} and {@code .jar} programs */
    public ScriptFolders(Interpreters interpreters) {
        this.programs = new ProgramChooser(interpreters);
    }

    /**
     * @param scriptsDir the scripts folder ({@code worker.scripts.dir})
     * @return its scripts and problems
     * @throws IOException if the scripts folder, or its {@code triggered} or {@code continuous}
     *         folder, exists but cannot be listed: a scan that said its scripts were gone would
     *         be wrong, so keep the last one
     */
    public Scan scan(Path scriptsDir) throws IOException {
        List<Script> scripts = new ArrayList<>();
        List<ScriptProblem> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        // Triggered first: of a name in both, the triggered script keeps it.
        for (ScriptKind kind : List.of(ScriptKind.TRIGGERED, ScriptKind.CONTINUOUS)) {
            for (Path folder : entries(scriptsDir.resolve(kind.folder()))) {
                String name = folder.getFileName().toString();
                String problem = nameProblem(folder, name, !names.add(name));
                if (problem != null) {
                    problems.add(new ScriptProblem(name, kind, folder, problem));
                } else {
                    read(folder, name, kind, scripts, problems);
                }
            }
        }
        return new Scan(scripts, problems);
    }

    /** Reads one script folder into a script, or a problem naming everything wrong with it. */
    private void read(Path folder, String name, ScriptKind kind, List<Script> scripts, List<ScriptProblem> problems) {
        // Taken before the files are read: a change while they are read then shows in the next scan's version.
        String version = FolderFingerprint.of(folder);
        List<String> reasons = new ArrayList<>();
        ScriptSettings settings = null;
        try {
            settings = SettingsJob.read(folder, kind);
        } catch (InvalidScriptException e) {
            reasons.add(e.getMessage());
        }
        ProgramChooser.Program program = null;
        try {
            program = programs.choose(folder);
        } catch (InvalidScriptException e) {
            reasons.add(e.getMessage());
        }
        if (reasons.isEmpty()) {
            scripts.add(new Script(name, kind, folder, program.file(), program.command(), settings, version));
        } else {
            problems.add(new ScriptProblem(name, kind, folder, String.join("; ", reasons)));
        }
    }

    /** @return why the entry of a kind's folder cannot be a script by its name or nature, or null */
    private static String nameProblem(Path entry, String name, boolean taken) {
        if (!Files.isDirectory(entry)) {
            return "a script is a folder holding its program (such as " + ScriptKind.TRIGGERED.folder() + "/report/run.py),"
                    + " not a file";
        }
        if (!NAME.matcher(name).matches()) {
            return "the folder's name must be 1 to 90 letters, digits, '.', '_' or '-', starting with a letter or digit"
                    + " (script:NAME is the script's job type)";
        }
        if (taken) {
            return "the name is taken by " + ScriptKind.TRIGGERED.folder() + "/" + name
                    + "; scripts are called by name alone, so rename one of the two folders";
        }
        return null;
    }

    /** @return the entries of a kind's folder that are not hidden, by name; none when it does not exist */
    private static List<Path> entries(Path kindFolder) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(kindFolder, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (!attributes.isDirectory()) {
            return List.of();
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(kindFolder)) {
            for (Path entry : stream) {
                if (!entry.getFileName().toString().startsWith(".")) {
                    entries.add(entry);
                }
            }
        }
        entries.sort(Comparator.comparing(entry -> entry.getFileName().toString()));
        return entries;
    }
}
