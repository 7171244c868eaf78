/**
 * What a finished job owes, sent durably: the reply message, the callback, the pipeline's
 * notice ({@link io.workerrole.jobs.control.notices.ResultNotifier}), and the sweeper that sends
 * those another server left owed.
 */
package io.workerrole.jobs.control.notices;
