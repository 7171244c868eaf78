package io.workerrole.platform.security;

import java.util.List;

/**
 * The worker's four roles. Liberty maps each to the group of the same name, in the user registry
 * or in a bearer token's {@code groups} claim; admins bind them to groups of their own with an
 * {@code <application-bnd>} in server.xml. A role grants only what it names: an operator who
 * also reads jobs is in {@code job-viewer} too.
 */
public final class Roles {

    /** Reads everything: jobs, their history, schedules and their firings. */
    public static final String VIEWER = "job-viewer";
    /** Submits jobs ({@code POST /api/jobs}, and sends to {@code worker.jobs}). */
    public static final String SUBMITTER = "job-submitter";
    /** Acts on existing work: requeues, cancels, pauses and resumes schedules; reads {@code worker.dead}. */
    public static final String OPERATOR = "job-operator";
    /** Changes what code runs: creates, replaces and deletes schedules. */
    public static final String ADMIN = "job-admin";

    public static final List<String> ALL = List.of(VIEWER, SUBMITTER, OPERATOR, ADMIN);

    private Roles() {
    }
}
