/**
 * Script jobs' logic, plain Java SE: the scan of the scripts folder into runnable scripts and
 * problems, the reading of {@code settings.job}, the choice of a folder's program.
 */
package io.workerrole.scripts.control;
