package dev.akua.registry.feature.mirror;

import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.mirror.ImportOptions;
import dev.akua.registry.mirror.ImportRefusedException;
import dev.akua.registry.mirror.ImportReport;
import dev.akua.registry.mirror.Mirror;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.server.RegistryServer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code akua-registry import FILE.tar [--skip-unsigned | --no-signature-check] [--repository NAME]
 * [--progress bar|lines|none]}: brings an archive written by {@code export} (or any OCI
 * image-layout tar, into {@code --repository}) into this registry. Every blob is verified against
 * its digest and every manifest checked complete before anything becomes visible; artifacts in
 * repositories a trust policy covers must meet it (else the archive is refused, or with
 * {@code --skip-unsigned} they are left out). Running it again completes an interrupted import and
 * changes nothing after a finished one. Exit 0 on success, 1 when the archive was refused or the
 * import failed, 2 on a usage or configuration error.
 */
public final class ImportCommand implements CliCommand {
    private static final String USAGE = "usage: akua-registry import [--config FILE] FILE.tar [--skip-unsigned | --no-signature-check]"
            + " [--repository NAME] [--progress bar|lines|none]";

    @Override
    public String name() {
        return "import";
    }

    @Override
    public String summary() {
        return "bring an exported archive into this registry (verified, idempotent, resumable)";
    }

    @Override
    public int run(List<String> args, RegistryConfig config, PrintStream out, PrintStream err) {
        String file = null;
        ImportOptions.SignatureMode signatures = ImportOptions.SignatureMode.POLICY;
        String repository = null;
        String progress = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--skip-unsigned" -> signatures = ImportOptions.SignatureMode.SKIP_UNSIGNED;
                case "--no-signature-check" -> signatures = ImportOptions.SignatureMode.NONE;
                case "--repository", "--progress" -> {
                    if (i + 1 >= args.size()) {
                        err.println("import: " + a + " needs a value");
                        return 2;
                    }
                    if (a.equals("--repository")) {
                        repository = args.get(++i);
                    } else {
                        progress = args.get(++i);
                    }
                }
                default -> {
                    if (a.startsWith("-") || file != null) {
                        err.println("import: unexpected " + a);
                        err.println(USAGE);
                        return 2;
                    }
                    file = a;
                }
            }
        }
        if (file == null) {
            err.println(USAGE);
            return 2;
        }
        // A pipe is fine too (import /dev/stdin, a FIFO fed by the transfer): the archive is read once, in order.
        if (!Files.exists(Path.of(file)) || Files.isDirectory(Path.of(file))) {
            err.println("import: " + file + " is not a file");
            return 2;
        }
        ImportOptions options;
        ProgressPrinter printer;
        try {
            options = new ImportOptions(signatures, repository == null ? null : RepositoryName.parse(repository));
            printer = new ProgressPrinter(out, ProgressPrinter.mode(progress));
        } catch (IllegalArgumentException | OciException e) {
            err.println("import: " + e.getMessage());
            return 2;
        }
        try (RegistryServer registry = CliRegistry.start(config)) {
            Mirror mirror = CliRegistry.mirror(registry);
            ImportReport report = mirror.importArchive(Path.of(file), options, printer);
            out.println("import: " + report.artifacts() + " artifacts, " + report.manifests() + " manifests stored, "
                    + report.blobsStored() + " blobs stored (" + ProgressPrinter.size(report.bytes()) + "), " + report.blobsPresent()
                    + " already present" + (report.skipped().isEmpty() ? "" : ", " + report.skipped().size() + " left out (not signed)"));
            return 0;
        } catch (ImportRefusedException e) {
            err.println("import: refused: " + e.getMessage());
            return 1;
        } catch (IOException | OciException e) {
            err.println("import: " + e.getMessage());
            return 1;
        }
    }
}
