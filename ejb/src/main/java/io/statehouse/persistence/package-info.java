/**
 * Statehouse's own tables, mapped with JPA on the same datasource and transactions as the engine.
 */
package io.statehouse.persistence;
