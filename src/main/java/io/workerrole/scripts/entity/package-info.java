/**
 * Script jobs' values: a script folder that can run, one that cannot and why, its
 * {@code settings.job}, and the record of one run.
 */
package io.workerrole.scripts.entity;
