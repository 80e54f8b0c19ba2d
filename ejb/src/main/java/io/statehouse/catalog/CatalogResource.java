package io.statehouse.catalog;

import java.util.Objects;

/**
 * A resource with fixed contents, as a descriptor declares it.
 *
 * @param title       optional, for people
 * @param description optional
 */
public record CatalogResource(String uri, String name, String title, String description, Contents contents) {

    public CatalogResource {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(contents, "contents");
    }
}
