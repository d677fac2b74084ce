package dev.drover.agent.process;

import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Keeps only the last {@code limit} bytes of a stream, however much the stream carries. */
public final class OutputTail {
  private final byte[] ring;
  private long written;

  public OutputTail(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("output tail limit must be positive, got " + limit);
    }
    this.ring = new byte[limit];
  }

  public synchronized void append(byte[] bytes, int length) {
    // Bytes that the rest of this chunk would overwrite anyway are counted but not copied.
    int from = Math.max(0, length - ring.length);
    written += from;
    for (int i = from; i < length; i++) {
      ring[(int) (written++ % ring.length)] = bytes[i];
    }
  }

  public synchronized long totalBytes() {
    return written;
  }

  /** The kept bytes as text; a character cut in half at the start is dropped. */
  public synchronized String text() {
    int size = (int) Math.min(written, ring.length);
    byte[] ordered = new byte[size];
    int start = (int) ((written - size) % ring.length);
    for (int i = 0; i < size; i++) {
      ordered[i] = ring[(start + i) % ring.length];
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.IGNORE)
            .onUnmappableCharacter(CodingErrorAction.IGNORE);
    try {
      return decoder.decode(ByteBuffer.wrap(ordered)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException("decoder set to ignore errors threw", e);
    }
  }
}
