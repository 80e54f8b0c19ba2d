package io.statehouse.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resources, resource templates and prompts, each unique by its URI, URI template or name.
 */
public record Catalog(List<CatalogResource> resources, List<ResourceTemplate> templates, List<CatalogPrompt> prompts) {

    public static final Catalog EMPTY = new Catalog(List.of(), List.of(), List.of());

    public Catalog {
        resources = List.copyOf(resources);
        templates = List.copyOf(templates);
        prompts = List.copyOf(prompts);
    }

    /** One catalog of several; where two declare the same URI, template or name, the earlier in the list wins. */
    public static Catalog firstWins(List<Catalog> catalogs) {
        return new Catalog(
                unique(catalogs, Catalog::resources, CatalogResource::uri),
                unique(catalogs, Catalog::templates, ResourceTemplate::uriTemplate),
                unique(catalogs, Catalog::prompts, CatalogPrompt::name));
    }

    private static <T> List<T> unique(List<Catalog> catalogs, Function<Catalog, List<T>> entries, Function<T, String> key) {
        Map<String, T> byKey = new LinkedHashMap<>();
        catalogs.forEach(catalog -> entries.apply(catalog).forEach(entry -> byKey.putIfAbsent(key.apply(entry), entry)));
        return new ArrayList<>(byKey.values());
    }

    public Optional<CatalogResource> resource(String uri) {
        return resources.stream().filter(r -> r.uri().equals(uri)).findFirst();
    }

    public Optional<ResourceTemplate> template(String uriTemplate) {
        return templates.stream().filter(t -> t.uriTemplate().equals(uriTemplate)).findFirst();
    }

    public Optional<CatalogPrompt> prompt(String name) {
        return prompts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The contents at a URI: a resource's, or else the first template's that the URI fits. */
    public Optional<Contents> read(String uri) {
        return resource(uri).map(CatalogResource::contents)
                .or(() -> templates.stream().flatMap(t -> t.read(uri).stream()).findFirst());
    }
}
