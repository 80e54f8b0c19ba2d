/**
 * Statehouse's web module, served at {@code /statehouse}: HTTP interfaces only, no domain logic.
 */
package io.statehouse.web;
