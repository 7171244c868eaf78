/**
 * Jobs coming in: job messages from JMS and HTTP bodies parsed and checked
 * ({@link io.workerrole.jobs.control.intake.JobRequestParser}), accepted and recorded by
 * {@link io.workerrole.jobs.control.intake.JobIntake}, the reply rule for JMSReplyTo, and what
 * goes to the dead-letter queue with its reason.
 */
package io.workerrole.jobs.control.intake;
