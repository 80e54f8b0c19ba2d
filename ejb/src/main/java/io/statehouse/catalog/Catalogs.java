package io.statehouse.catalog;

/**
 * Where the MCP catalog comes from: the engine side reads it from the deployments; the MCP side knows
 * only this.
 */
public interface Catalogs {

    /**
     * The catalog in force: for each descriptor name the newest deployment holding it; where two
     * descriptors declare the same resource URI, template or prompt name, the newer deployment's entry.
     */
    Catalog current();
}
