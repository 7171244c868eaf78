/**
 * Pipelines: runs of several steps, each a job, with fan-out and join, compensation in reverse
 * order when a step dies, step deadlines and a supervisor. A run moves on when one of its jobs
 * ends (told by the job's notice, durably) and when the supervisor looks; each move is one
 * transaction with the run's row lock held.
 */
package io.workerrole.pipelines.control;
