/**
 * The process models that ship with Statehouse, and the one place where their element ids and
 * variable names are spelled in Java.
 */
package io.statehouse.bpmn;
