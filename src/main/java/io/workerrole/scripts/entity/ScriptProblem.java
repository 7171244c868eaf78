package io.workerrole.scripts.entity;

import java.nio.file.Path;

/**
 * A script folder that cannot run, and why: no program in it, or a {@code settings.job} that is
 * not valid. The folder is reported and left alone; the other scripts run on.
 *
 * @param name the folder's name
 * @param kind the kind its place gives it
 * @param folder the folder
 * @param reason what is wrong and how to fix it, for the admin
 */
public record ScriptProblem(String name, ScriptKind kind, Path folder, String reason) {
}
