/** The principals' credential files: htpasswd users, robot and personal tokens, atomic file edits. */
package dev.akua.registry.auth.principal;
