package io.workerrole.jobs.boundary;

import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.NewJob;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Jobs written and read in a transaction of the caller's, for a store whose rows and jobs must
 * commit together: a schedule's firing and the job it starts. {@link JobService} is the
 * implementation; a store test may pass the job store's own methods.
 */
public interface JobsInTransaction {

    /** @return the id of the job, recorded in the transaction */
    String recordWithin(Connection transaction, NewJob job) throws SQLException;

    /** @return the job, read in the transaction */
    Optional<Job> findWithin(Connection transaction, String id) throws SQLException;
}
