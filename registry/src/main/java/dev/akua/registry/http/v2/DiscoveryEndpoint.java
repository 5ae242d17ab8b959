package dev.akua.registry.http.v2;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.akua.registry.http.Pagination;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.storage.referrers.ReferrerDescriptor;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Content discovery: tags (end-8, with {@code n}/{@code last} and {@code Link}), the catalog
 * ({@code /v2/_catalog}, same paging), and referrers (end-12: an image index, never 404, with
 * {@code artifactType} filtering announced by {@code OCI-Filters-Applied}).
 */
final class DiscoveryEndpoint {
    private final V2Context ctx;

    DiscoveryEndpoint(V2Context ctx) {
        this.ctx = ctx;
    }

    void tags(ServerRequest req, ServerResponse res, dev.akua.registry.extension.Caller caller, RepositoryName repo) {
        // A pull-through source may know tags that are not stored yet (PullThrough#tags).
        Optional<List<Tag>> fromSource = ctx.pullThrough(repo).flatMap(p -> p.tags(caller, repo))
                .map(tags -> tags.stream().distinct().sorted((a, b) -> a.value().compareTo(b.value())).toList());
        if (fromSource.isEmpty() && !ctx.storage().catalog().exists(repo)) {
            throw OciException.of(ErrorCode.NAME_UNKNOWN, "repository " + repo + " not known to registry");
        }
        List<Tag> all = fromSource.orElseGet(() -> ctx.storage().tags().list(repo));
        Optional<Integer> n = Pagination.parseN(req.query().first("n").asOptional());
        Optional<String> last = req.query().first("last").asOptional();
        Pagination.Page<Tag> page = Pagination.page(all, Tag::value, last, n, ctx.maxPageSize());
        ObjectNode body = ctx.json().createObjectNode();
        body.put("name", repo.value());
        ArrayNode tags = body.putArray("tags");
        page.items().forEach(t -> tags.add(t.value()));
        page.nextLast().ifPresent(next -> res.header(HeaderNames.LINK,
                ctx.urls().link("/v2/" + repo + "/tags/list?n=" + page.pageSize() + "&last=" + encode(next))));
        json(req, res, body);
    }

    void catalog(ServerRequest req, ServerResponse res, Predicate<RepositoryName> visible) {
        List<RepositoryName> all = ctx.storage().catalog().all().stream().filter(visible).toList();
        Optional<Integer> n = Pagination.parseN(req.query().first("n").asOptional());
        Optional<String> last = req.query().first("last").asOptional();
        Pagination.Page<RepositoryName> page = Pagination.page(all, RepositoryName::value, last, n, ctx.maxPageSize());
        ObjectNode body = ctx.json().createObjectNode();
        ArrayNode repos = body.putArray("repositories");
        page.items().forEach(r -> repos.add(r.value()));
        page.nextLast().ifPresent(next -> res.header(HeaderNames.LINK,
                ctx.urls().link("/v2/_catalog?n=" + page.pageSize() + "&last=" + encode(next))));
        json(req, res, body);
    }

    void referrers(ServerRequest req, ServerResponse res, RepositoryName repo, Digest subject) {
        List<ReferrerDescriptor> all = ctx.storage().referrers().list(repo, subject);
        Optional<String> artifactType = req.query().first("artifactType").asOptional().filter(s -> !s.isEmpty());
        if (artifactType.isPresent()) {
            all = all.stream().filter(r -> artifactType.get().equals(r.artifactType())).toList();
            res.header(Responses.OCI_FILTERS_APPLIED, "artifactType");
        }
        Optional<Integer> n = Pagination.parseN(req.query().first("n").asOptional());
        Optional<String> last = req.query().first("last").asOptional();
        Pagination.Page<ReferrerDescriptor> page =
                Pagination.page(all, r -> r.digest().toString(), last, n, ctx.maxPageSize());
        ObjectNode index = ctx.json().createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (ReferrerDescriptor r : page.items()) {
            ObjectNode d = manifests.addObject();
            d.put("mediaType", r.mediaType());
            d.put("digest", r.digest().toString());
            d.put("size", r.size());
            if (r.artifactType() != null) {
                d.put("artifactType", r.artifactType());
            }
            if (!r.annotations().isEmpty()) {
                ObjectNode ann = d.putObject("annotations");
                r.annotations().forEach(ann::put);
            }
        }
        page.nextLast().ifPresent(next -> res.header(HeaderNames.LINK, ctx.urls().link("/v2/" + repo + "/referrers/" + subject
                + "?n=" + page.pageSize() + "&last=" + encode(next)
                + artifactType.map(t -> "&artifactType=" + encode(t)).orElse(""))));
        res.header(HeaderNames.CONTENT_TYPE, MediaTypes.OCI_INDEX);
        Responses.send(req, res, bytes(index));
    }

    private void json(ServerRequest req, ServerResponse res, ObjectNode body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        Responses.send(req, res, bytes(body));
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return ctx.json().writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
