/**
 * The readiness check behind WildFly's {@code /health/ready}. It lives in a library jar of the
 * EAR on purpose: WildFly's MicroProfile Health finds checks only where every module of the EAR
 * can see them, not in an EJB or web sub-deployment (WFLY-12835).
 */
package io.statehouse.db.health;
