package io.workerrole.scripts.control;

import io.workerrole.scripts.entity.Script;
import io.workerrole.scripts.entity.ScriptKind;
import io.workerrole.scripts.entity.ScriptProblem;
import io.workerrole.scripts.entity.ScriptSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScriptFoldersTest {

    private static final Interpreters INTERPRETERS = new Interpreters("bash", "python3", "/nonexistent/bin/node",
            Interpreters.defaults().java());

    @TempDir
    Path scripts;

    private final ScriptFolders folders = new ScriptFolders(INTERPRETERS);

    @Test
    void aMissingScriptsFolderHoldsNoScripts() throws IOException {
        ScriptFolders.Scan scan = folders.scan(scripts.resolve("jobs"));

        assertEquals(List.of(), scan.scripts());
        assertEquals(List.of(), scan.problems());
    }

    @Test
    void aMissingKindFolderHoldsNoScripts() throws IOException {
        write("continuous/pump/run.sh", "while true; do sleep 1; done\n");

        ScriptFolders.Scan scan = folders.scan(scripts);

        assertEquals(List.of("pump"), names(scan.scripts()));
        assertEquals(List.of(), scan.problems());
    }

    @Test
    void readsTriggeredAndContinuousScriptsWithTheirProgramsAndSettings() throws IOException {
        write("triggered/report/run.py", "print('report')\n");
        write("triggered/report/settings.job", "{\"schedule\": \"0 0 6 * * *\", \"max_attempts\": 2}");
        write("continuous/pump/pump.sh", "while true; do sleep 1; done\n");

        ScriptFolders.Scan scan = folders.scan(scripts);

        assertEquals(List.of(), scan.problems());
        assertEquals(2, scan.scripts().size());
        Script report = scan.scripts().get(0);
        assertEquals("report", report.name());
        assertEquals(ScriptKind.TRIGGERED, report.kind());
        assertEquals(scripts.resolve("triggered/report"), report.folder());
        Path program = scripts.resolve("triggered/report/run.py").toAbsolutePath();
        assertEquals(program, report.program());
        assertEquals(List.of("python3", "-u", program.toString()), report.command());
        assertEquals(new ScriptSettings("0 0 6 * * *", false, Duration.ofSeconds(30), false, 2, null, null), report.settings());
        assertEquals(FolderFingerprint.LENGTH, report.version().length());
        Script pump = scan.scripts().get(1);
        assertEquals("pump", pump.name());
        assertEquals(ScriptKind.CONTINUOUS, pump.kind());
        assertEquals(List.of("bash", scripts.resolve("continuous/pump/pump.sh").toAbsolutePath().toString()), pump.command());
        assertEquals(ScriptSettings.defaults(ScriptKind.CONTINUOUS), pump.settings());
    }

    @Test
    void scriptsAndProblemsComeInNameOrder() throws IOException {
        write("triggered/c/run.sh", "");
        write("triggered/a/run.sh", "");
        write("triggered/b/run.sh", "");
        write("triggered/z/notes.txt", "");
        write("triggered/y/notes.txt", "");

        ScriptFolders.Scan scan = folders.scan(scripts);

        assertEquals(List.of("a", "b", "c"), names(scan.scripts()));
        assertEquals(List.of("y", "z"), scan.problems().stream().map(ScriptProblem::name).toList());
    }

    @Test
    void aFolderWhoseNameCannotNameAJobTypeIsAProblem() throws IOException {
        write("triggered/-report/run.sh", "");
        write("triggered/daily report/run.sh", "");
        write("triggered/" + "r".repeat(91) + "/run.sh", "");
        write("triggered/" + "r".repeat(90) + "/run.sh", "");
        write("triggered/report_v1.2-b/run.sh", "");

        ScriptFolders.Scan scan = folders.scan(scripts);

        assertEquals(List.of("report_v1.2-b", "r".repeat(90)), names(scan.scripts()));
        assertEquals(List.of("-report", "daily report", "r".repeat(91)), scan.problems().stream().map(ScriptProblem::name).toList());
        assertEquals("the folder's name must be 1 to 90 letters, digits, '.', '_' or '-', starting with a letter or digit"
                + " (script:NAME is the script's job type)", scan.problems().get(0).reason());
    }

    @Test
    void hiddenEntriesAreLeftOut() throws IOException {
        write("triggered/.report.tmp/run.sh", "");
        write("triggered/.DS_Store", "");

        ScriptFolders.Scan scan = folders.scan(scripts);

        assertEquals(List.of(), scan.scripts());
        assertEquals(List.of(), scan.problems());
    }

    @Test
    void aFileInAKindFolderIsAProblem() throws IOException {
        write("triggered/report.py", "print('report')\n");

        ScriptFolders.Scan scan = folders.scan(scripts);

        assertEquals(List.of(new ScriptProblem("report.py", ScriptKind.TRIGGERED, scripts.resolve("triggered/report.py"),
                "a script is a folder holding its program (such as triggered/report/run.py), not a file")), scan.problems());
    }

    @Test
    void aNameInBothKindsIsKeptByTheTriggeredScript() throws IOException {
        write("triggered/report/run.sh", "");
        write("continuous/report/run.sh", "");

        ScriptFolders.Scan scan = folders.scan(scripts);

        assertEquals(1, scan.scripts().size());
        assertEquals(ScriptKind.TRIGGERED, scan.scripts().get(0).kind());
        assertEquals(List.of(new ScriptProblem("report", ScriptKind.CONTINUOUS, scripts.resolve("continuous/report"),
                "the name is taken by triggered/report; scripts are called by name alone, so rename one of the two folders")),
                scan.problems());
    }

    @Test
    void aNameTakenByABrokenTriggeredFolderIsStillTaken() throws IOException {
        write("triggered/report/notes.txt", "");
        write("continuous/report/run.sh", "");

        ScriptFolders.Scan scan = folders.scan(scripts);

        assertEquals(List.of(), scan.scripts());
        assertEquals(List.of(ScriptKind.TRIGGERED, ScriptKind.CONTINUOUS), scan.problems().stream().map(ScriptProblem::kind).toList());
    }

    @Test
    void aBrokenFolderIsAProblemAndTheOthersRunOn() throws IOException {
        write("triggered/broken/run.sh", "");
        write("triggered/broken/settings.job", "{\"is_singleton\": true,");
        write("triggered/fine/run.sh", "");

        ScriptFolders.Scan scan = folders.scan(scripts);

        assertEquals(List.of("fine"), names(scan.scripts()));
        assertEquals(1, scan.problems().size());
        ScriptProblem problem = scan.problems().get(0);
        assertEquals("broken", problem.name());
        assertEquals(scripts.resolve("triggered/broken"), problem.folder());
        assertTrue(problem.reason().startsWith("settings.job is not valid JSON: "), problem.reason());
    }

    @Test
    void aProblemNamesBothABadSettingsJobAndAMissingProgram() throws IOException {
        write("continuous/pump/settings.job", "{\"schedule\": \"0 * * * * *\"}");
        write("continuous/pump/notes.txt", "");

        ScriptProblem problem = folders.scan(scripts).problems().get(0);

        assertTrue(problem.reason().startsWith("settings.job is not valid: \"schedule\" is for triggered scripts"), problem.reason());
        assertTrue(problem.reason().contains("; no program: put a run.sh"), problem.reason());
    }

    @Test
    void anUnreadableSettingsJobIsAProblem() throws IOException {
        write("triggered/report/run.sh", "");
        Files.createDirectory(scripts.resolve("triggered/report/settings.job"));

        ScriptFolders.Scan scan = folders.scan(scripts);

        assertEquals(List.of(), scan.scripts());
        assertTrue(scan.problems().get(0).reason().startsWith("settings.job cannot be read: "), scan.problems().get(0).reason());
    }

    @Test
    void aJsScriptWithoutNodeIsAProblem() throws IOException {
        write("triggered/site/run.js", "console.log('hi')\n");

        ScriptFolders.Scan scan = folders.scan(scripts);

        assertEquals(List.of(), scan.scripts());
        assertEquals("a .js program (run.js) needs /nonexistent/bin/node, which is not installed (not an executable file)",
                scan.problems().get(0).reason());
    }

    @Test
    void aScriptsFolderThatIsAFileCannotBeScanned() throws IOException {
        Path file = Files.writeString(scripts.resolve("jobs"), "");

        assertThrows(IOException.class, () -> folders.scan(file));
    }

    @Test
    void aSymbolicLinkLoopInAFolderEndsTheWalk() throws IOException {
        write("triggered/report/run.sh", "");
        Files.createSymbolicLink(scripts.resolve("triggered/report/again"), scripts.resolve("triggered/report"));

        String first = version("report");

        assertEquals(first, version("report"));
    }

    @Test
    void theVersionStaysTheSameWhileNothingChanges() throws IOException {
        write("triggered/report/run.py", "print('report')\n");
        write("triggered/report/lib/util.py", "X = 1\n");

        String first = version("report");

        assertEquals(first, version("report"));
        assertEquals(first, new ScriptFolders(INTERPRETERS).scan(scripts).scripts().get(0).version());
    }

    @Test
    void theVersionChangesWhenAFileIsWritten() throws IOException {
        Path program = write("triggered/report/run.py", "print('report')\n");
        String first = version("report");

        Files.writeString(program, "print('a report')\n");

        assertNotEquals(first, version("report"));
    }

    @Test
    void theVersionChangesWhenAFileOfTheSameSizeIsWrittenLater() throws IOException {
        Path program = write("triggered/report/run.py", "print('one')\n");
        FileTime written = Files.getLastModifiedTime(program);
        String first = version("report");

        Files.writeString(program, "print('two')\n");
        Files.setLastModifiedTime(program, FileTime.from(written.toInstant().plusSeconds(1)));

        assertNotEquals(first, version("report"));
    }

    @Test
    void theVersionChangesWhenAFileIsAddedOrRemovedDeepInTheFolder() throws IOException {
        write("triggered/report/run.py", "print('report')\n");
        String first = version("report");

        Path added = write("triggered/report/lib/deep/util.py", "X = 1\n");
        String second = version("report");
        Files.delete(added);

        assertNotEquals(first, second);
        assertEquals(first, version("report"));
    }

    @Test
    void theVersionChangesWhenAFileIsRenamed() throws IOException {
        Path data = write("triggered/report/a.csv", "1\n");
        write("triggered/report/run.py", "print('report')\n");
        FileTime written = Files.getLastModifiedTime(data);
        String first = version("report");

        Path renamed = Files.move(data, data.resolveSibling("b.csv"));
        Files.setLastModifiedTime(renamed, written);

        assertNotEquals(first, version("report"));
    }

    @Test
    void theVersionChangesWhenAFileIsMadeExecutable() throws IOException {
        write("triggered/report/run.py", "print('report')\n");
        Path tool = write("triggered/report/tool", "#!/bin/sh\n");
        String first = version("report");

        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertNotEquals(first, version("report"));
    }

    @Test
    void theVersionFollowsAProgramLinkedFromElsewhere(@TempDir Path elsewhere) throws IOException {
        Path target = Files.writeString(elsewhere.resolve("shared.py"), "print('one')\n");
        Files.createDirectories(scripts.resolve("triggered/report"));
        Files.createSymbolicLink(scripts.resolve("triggered/report/run.py"), target);
        String first = version("report");

        Files.writeString(target, "print('three')\n");

        assertNotEquals(first, version("report"));
    }

    private String version(String name) throws IOException {
        ScriptFolders.Scan scan = folders.scan(scripts);
        assertEquals(List.of(), scan.problems());
        return scan.scripts().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().version();
    }

    private Path write(String relative, String text) throws IOException {
        Path file = scripts.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    private static List<String> names(List<Script> scripts) {
        return scripts.stream().map(Script::name).toList();
    }
}
