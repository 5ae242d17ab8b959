/** CLI command implementations (users, robot/personal tokens, effective permissions) returning text and exit codes. */
package dev.akua.registry.auth.cli;
