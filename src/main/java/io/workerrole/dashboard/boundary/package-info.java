/**
 * What the dashboard ({@code /dashboard}, static pages in the WAR) reads besides the rest of the
 * API: {@code GET /api/overview}, the store's figures on one page, and {@code GET /api/me}, the
 * caller's roles, which decide the buttons it shows.
 */
package io.workerrole.dashboard.boundary;
