/**
 * Script jobs over HTTP ({@code /api/scripts}) and the watch on the scripts folder.
 */
package io.workerrole.scripts.boundary;
