/** What the pipelines' store holds: runs and the jobs they started. */
package io.workerrole.pipelines.entity;
