/**
 * The database schema as versioned migrations: Camunda's tables at the pinned engine version and
 * Statehouse's own tables, each with its own Flyway history so that an engine upgrade and a
 * Statehouse upgrade never compete for version numbers.
 */
package io.statehouse.db;
