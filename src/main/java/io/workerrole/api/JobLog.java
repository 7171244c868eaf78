package io.workerrole.api;

/** Log lines about one job, prefixed with its id and type; info to stdout, errors to stderr. */
public interface JobLog {

    void info(String message);

    void warning(String message);

    void error(String message, Throwable cause);
}
