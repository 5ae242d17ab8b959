package dev.akua.registry.mirror;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.oci.manifest.ManifestKind;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.remote.oci.ManifestResponse;
import dev.akua.registry.remote.oci.RegistryClient;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The referrers of a manifest at an upstream: the OCI 1.1 referrers API when the upstream has it,
 * else the referrers tag schema (distribution-spec "Unavailable Referrers API": an index tagged
 * {@code <alg>-<hex>} listing the referrers), as registries without the API (CNCF Distribution 2.8)
 * and clients writing to them (oras, cosign v3) use it.
 *
 * @param referrers     descriptors of the referring manifests (at most the cap)
 * @param fallbackIndex the tag-schema index when that was used (copied too, so clients using the
 *                      schema find it locally), else null
 */
record UpstreamReferrers(List<Descriptor> referrers, FallbackIndex fallbackIndex) {
    /** The tag-schema index: its tag, bytes, digest and media type. */
    record FallbackIndex(String tag, byte[] raw, Digest digest, String mediaType) {
    }

    static UpstreamReferrers list(RegistryClient client, String repository, Digest subject, ManifestParser parser, int max)
            throws IOException {
        Optional<byte[]> api = client.referrers(repository, subject.toString());
        if (api.isPresent()) {
            return new UpstreamReferrers(descriptors(parser, api.get(), max, repository, subject), null);
        }
        String tag = subject.tagForm();
        if (!dev.akua.registry.oci.Tag.isValid(tag)) {
            return new UpstreamReferrers(List.of(), null); // sha512 forms do not fit the tag grammar
        }
        Optional<ManifestResponse> index = client.manifest(repository, tag);
        if (index.isEmpty()) {
            return new UpstreamReferrers(List.of(), null);
        }
        byte[] raw = index.get().bytes();
        List<Descriptor> found = descriptors(parser, raw, max, repository, subject);
        String mediaType = index.get().mediaType() == null ? MediaTypes.OCI_INDEX : index.get().mediaType();
        return new UpstreamReferrers(found, new FallbackIndex(tag, raw, Digest.sha256(raw), mediaType));
    }

    private static List<Descriptor> descriptors(ManifestParser parser, byte[] raw, int max, String repository, Digest subject)
            throws IOException {
        ManifestContent content;
        try {
            content = parser.parse(raw, MediaTypes.OCI_INDEX);
        } catch (OciException e) {
            throw new IOException("referrers of " + repository + "@" + subject + " are not an index: " + e.getMessage(), e);
        }
        if (content.kind() != ManifestKind.INDEX) {
            throw new IOException("referrers of " + repository + "@" + subject + " are not an index");
        }
        List<Descriptor> all = content.manifests();
        return all.size() > max ? all.subList(0, max) : all;
    }
}
