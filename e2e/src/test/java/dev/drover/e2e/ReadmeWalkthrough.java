package dev.drover.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The README's walkthrough as steps a test can carry out: each {@code sh} block's command lines,
 * and the table the README prints after a block, which the block's last command must reproduce.
 */
record ReadmeWalkthrough(List<Block> blocks) {
  /** Columns whose values depend on when the command runs. */
  static final Set<String> TIME_COLUMNS = Set.of("AGE", "DURATION", "HEARTBEAT");

  /**
   * @param commands command lines, comments removed
   * @param expectedTable the table printed right after the block, or null
   */
  record Block(List<String> commands, List<String> expectedTable) {}

  /** The walkthrough: the section under {@code heading}, up to the next second-level heading. */
  static ReadmeWalkthrough parse(String readme, String heading) {
    List<String> lines = readme.lines().toList();
    int start = lines.indexOf(heading);
    if (start < 0) {
      throw new IllegalArgumentException("no section " + heading);
    }
    int end =
        IntStream.range(start + 1, lines.size())
            .filter(i -> lines.get(i).startsWith("## "))
            .findFirst()
            .orElse(lines.size());
    List<Block> blocks = new ArrayList<>();
    List<String> commands = null;
    List<String> fence = null;
    String language = "";
    for (String line : lines.subList(start + 1, end)) {
      if (fence == null && line.startsWith("```")) {
        fence = new ArrayList<>();
        language = line.substring(3).strip();
      } else if (fence != null && line.equals("```")) {
        if (language.equals("sh")) {
          commands = fence.stream().map(ReadmeWalkthrough::withoutComment).toList();
          blocks.add(new Block(commands, null));
        } else if (language.isEmpty()
            && !blocks.isEmpty()
            && blocks.get(blocks.size() - 1).expectedTable() == null) {
          blocks.set(blocks.size() - 1, new Block(commands, List.copyOf(fence)));
        }
        fence = null;
      } else if (fence != null) {
        fence.add(line);
      }
    }
    return new ReadmeWalkthrough(blocks);
  }

  /**
   * Whether {@code actual} is the README's table: the same header and rows, cell by cell, except in
   * the columns that depend on time.
   */
  static boolean sameTable(List<String> expected, String actual) {
    List<String[]> want = cells(expected);
    List<String[]> got = cells(actual.lines().filter(l -> !l.isBlank()).toList());
    if (want.size() != got.size() || want.isEmpty()) {
      return false;
    }
    String[] header = want.get(0);
    for (int row = 0; row < want.size(); row++) {
      if (want.get(row).length != got.get(row).length) {
        return false;
      }
      for (int column = 0; column < header.length; column++) {
        boolean timed = row > 0 && TIME_COLUMNS.contains(header[column]);
        if (!timed && !want.get(row)[column].equals(got.get(row)[column])) {
          return false;
        }
      }
    }
    return true;
  }

  private static List<String[]> cells(List<String> table) {
    return table.stream().map(l -> l.trim().split("\\s+")).toList();
  }

  private static String withoutComment(String line) {
    int comment = line.indexOf("  #");
    return (comment < 0 ? line : line.substring(0, comment)).strip();
  }

  @Override
  public String toString() {
    return Arrays.toString(blocks.toArray());
  }
}
