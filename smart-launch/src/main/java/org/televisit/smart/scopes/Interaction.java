package org.televisit.smart.scopes;

/** The SMART v2 permissions, in the order the scope syntax requires them (c r u d s). */
public enum Interaction {
  CREATE('c'),
  READ('r'),
  UPDATE('u'),
  DELETE('d'),
  SEARCH('s');

  private final char letter;

  Interaction(char letter) {
    this.letter = letter;
  }

  public char letter() {
    return letter;
  }
}
