/**
 * Integration tests: the real EAR on the WildFly that the build provisioned, driven over HTTP as
 * its users drive it (engine REST API, Camunda web apps, health endpoint).
 */
package io.statehouse.it;
