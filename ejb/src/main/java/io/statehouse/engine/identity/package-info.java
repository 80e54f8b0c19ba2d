/**
 * The engine's users as the rest of Statehouse sees them: passwords checked against Camunda's identity
 * service, the user of the current request, the groups Statehouse relies on.
 */
package io.statehouse.engine.identity;
