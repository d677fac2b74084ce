package dev.drover.cli.support;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A kubectl-style table: upper-case headers, columns three spaces apart, no borders. */
public final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... headers) {
    this.headers = List.of(headers);
  }

  public Table row(Object... cells) {
    List<String> row = new ArrayList<>();
    for (Object cell : cells) {
      row.add(cell == null || cell.toString().isEmpty() ? "<none>" : cell.toString());
    }
    rows.add(row);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public void print(PrintWriter out) {
    int[] widths = widths();
    print(out, headers, widths);
    rows.forEach(row -> print(out, row, widths));
    out.flush();
  }

  /** Only the rows, aligned with {@code first}: what a watch prints after the first table. */
  public void printRowsLike(PrintWriter out, Table first) {
    int[] widths = first.widths();
    rows.forEach(row -> print(out, row, widths));
    out.flush();
  }

  private int[] widths() {
    int[] widths = new int[headers.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headers.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    return widths;
  }

  private static void print(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      line.append(cell);
      if (c < cells.size() - 1) {
        line.append(" ".repeat(Math.max(0, widths[c] - cell.length()) + 3));
      }
    }
    out.println(line.toString().stripTrailing());
  }
}
