package io.workerrole.jobs.builtin;

import io.workerrole.api.NonRetryableJobException;

import java.math.BigDecimal;

/**
 * Whole-number payload fields, checked strictly. JSON-B would silently truncate 1.5 to 1, or
 * wrap 4294967297 to 1, when binding straight to int or long; binding to BigDecimal and checking
 * here refuses them with a clear message instead.
 */
final class PayloadNumbers {

    private PayloadNumbers() {
    }

    /**
     * @throws NonRetryableJobException naming the field when the value is not a whole number in range
     */
    static long wholeNumber(BigDecimal value, String field, long min, long max) {
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0
                || value.stripTrailingZeros().scale() > 0) {
            throw new NonRetryableJobException("payload." + field + " must be a whole number from " + min + " to " + max);
        }
        return value.longValueExact();
    }
}
