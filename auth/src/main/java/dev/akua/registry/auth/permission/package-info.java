/** Who may do what where: repository globs, the permission policy, immutable-tag rules. */
package dev.akua.registry.auth.permission;
