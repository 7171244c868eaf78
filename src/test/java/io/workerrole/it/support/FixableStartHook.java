package io.workerrole.it.support;

import io.workerrole.api.RoleHook;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The last start hook (after every hook of the worker's own), broken until the admin fixes it:
 * it throws while the file that the variable {@value #BROKEN_FILE} names exists, and appends a
 * line to that file's sibling {@code .runs} each time it runs, so that a test counts its runs.
 */
@ApplicationScoped
@Priority(10_000)
public class FixableStartHook implements RoleHook {

    public static final String BROKEN_FILE = "test.startHook.brokenFile";
    /** The error the broken hook throws: no caller without job-viewer may read it. */
    public static final String ERROR = "start hook broken on purpose, see db.internal.example:5432";

    /** @return the file where the hook counts its runs, next to the one that breaks it */
    public static Path runsFile(Path brokenFile) {
        return brokenFile.resolveSibling(brokenFile.getFileName() + ".runs");
    }

    @Override
    public boolean onStart() throws Exception {
        Path broken = Path.of(ConfigProvider.getConfig().getValue(BROKEN_FILE, String.class));
        Files.writeString(runsFile(broken), "run\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (Files.exists(broken)) {
            throw new IllegalStateException(ERROR);
        }
        return true;
    }
}
