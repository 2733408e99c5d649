package org.televisit.smart.server;

/** How a registered app proves who it is at the token endpoint (SMART client-* capabilities). */
public enum ClientType {
  /** No secret: a browser or native app; PKCE alone protects its code. */
  PUBLIC,
  /** client_secret_basic (or _post) with a secret Televisit generated and stores only as a hash. */
  CONFIDENTIAL_SYMMETRIC,
  /** private_key_jwt signed with a key from the app's JWKS (URL or inline); RS384 or ES384. */
  CONFIDENTIAL_ASYMMETRIC
}
