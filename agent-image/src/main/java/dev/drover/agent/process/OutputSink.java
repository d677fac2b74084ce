package dev.drover.agent.process;

/** Where a process's merged output goes besides its tail: the agent's output store. */
public interface OutputSink {
  /** Keeps nothing. */
  OutputSink NONE =
      new OutputSink() {
        @Override
        public void write(byte[] bytes, int length) {}

        @Override
        public void close() {}
      };

  /**
   * Takes the next {@code length} bytes of output; never throws for a full disk, only keeps less.
   */
  void write(byte[] bytes, int length);

  /** The process has ended and every byte of its output was written. */
  void close();
}
