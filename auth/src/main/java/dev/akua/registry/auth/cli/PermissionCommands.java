package dev.akua.registry.auth.cli;

import dev.akua.registry.auth.AccessControl;
import dev.akua.registry.auth.Action;
import dev.akua.registry.auth.Principal;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.OciException;

import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code permissions show <principal> <repository>}: what a user, robot or anonymous may do on a
 * repository under the current configuration and files, and which rule decided.
 */
public final class PermissionCommands {
    private final AccessControl access;

    public PermissionCommands(AccessControl access) {
        this.access = Objects.requireNonNull(access, "access");
    }

    /**
     * @param principal  {@code user:<name>}, {@code robot:<name>}, {@code anonymous}, or a bare user name
     * @param repository a repository name
     */
    public CommandResult show(String principal, String repository) {
        Principal p;
        RepositoryName repo;
        try {
            p = principal != null && !principal.contains(":") && !principal.equals("anonymous")
                    ? Principal.user(principal) : Principal.parse(principal);
            repo = RepositoryName.parse(repository);
        } catch (IllegalArgumentException | OciException e) {
            return CommandResult.usage(e.getMessage());
        }
        AccessControl.EffectivePermissions e;
        try {
            e = access.effectivePermissions(p, repo);
        } catch (IllegalArgumentException ex) {
            return CommandResult.failed(ex.getMessage());
        }
        String actions = e.actions().isEmpty() ? "(none)"
                : Action.REPOSITORY_ACTIONS.stream().filter(e.actions()::contains).sorted()
                .map(Action::wireName).collect(Collectors.joining(", "));
        StringBuilder out = new StringBuilder();
        out.append("principal:  ").append(e.principal().id()).append('\n');
        if (!e.groups().isEmpty()) {
            out.append("groups:     ").append(String.join(", ", e.groups())).append('\n');
        }
        out.append("repository: ").append(repo).append('\n');
        out.append("actions:    ").append(actions).append('\n');
        out.append("decided by: ").append(e.decidedBy()).append('\n');
        out.append("immutable:  ").append(e.immutableRule().orElse("(no immutable tags)")).append('\n');
        return CommandResult.ok(out.toString());
    }
}
