/**
 * Script jobs' logic: the scan of the scripts folder into runnable scripts and problems
 * ({@code settings.job}, the choice of a folder's program), the catalog that makes them job
 * types, schedules and background tasks, and the running of a program — in a session of its own,
 * its output line by line into its run's log and the server's, stopped by its shutdown file and
 * then with its whole process tree.
 */
package io.workerrole.scripts.control;
