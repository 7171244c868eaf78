/**
 * The storage trigger's settings and the scan that finds complete new files (the folder itself,
 * whose paths never lead outside it, is platform's StorageFolder: built-in jobs use it too).
 */
package io.workerrole.storage.control;
