/**
 * The dashboard's browser tests: {@code DashboardIT} drives the dashboard in Debian's headless
 * chromium ({@link io.workerrole.it.dashboard.HeadlessChromium}) through a JUnit 5 extension
 * that keeps one browser per test class and saves a screenshot of each failure
 * ({@link io.workerrole.it.dashboard.DashboardBrowser}), against jobs of the types here.
 */
package io.workerrole.it.dashboard;
