package io.workerrole.schedules.entity;

/** What storing a schedule's definition did: created it, changed it, or found it as it was. */
public enum PutOutcome { CREATED, CHANGED, UNCHANGED }
