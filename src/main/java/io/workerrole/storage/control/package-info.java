/**
 * The storage folder, whose paths never lead outside it, and the scan that finds complete new files.
 */
package io.workerrole.storage.control;
