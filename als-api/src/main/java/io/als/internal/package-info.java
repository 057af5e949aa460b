/**
 * Internal to the library: argument checks, atomic file writes, id collection, the Gaussian
 * sampler. Public only because Java has no narrower visibility across packages; not API, may
 * change without notice, and no example or user code should import it.
 */
package io.als.internal;
