/**
 * Chores done once the engine has started: the shared Tasklist filters, the configured first
 * administrator, and the demo profile (the demo user, its group and the demo's data).
 */
package io.statehouse.engine.setup;
