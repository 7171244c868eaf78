/**
 * Security plumbing shared by every part of the API: the four roles, the audit trail of
 * operators' and admins' actions, the guard against cross-site requests (web origins compared by
 * scheme, host and port), and JSON bodies for 401 answers. Who may call what is said on each REST method with {@code @RolesAllowed}.
 */
package io.workerrole.platform.security;
