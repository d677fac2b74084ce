package dev.drover.console.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Text made safe for HTML, and the few pieces every page uses. */
public final class Html {
  private Html() {}

  public static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  public static String url(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  public static String link(String href, Object text) {
    return "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
  }

  /** A phase as a coloured badge; the class carries the colour (console.css). */
  public static String phase(Object phase) {
    String text = phase == null ? "Pending" : phase.toString();
    return "<span class=\"phase phase-" + esc(text) + "\">" + esc(text) + "</span>";
  }

  /** A table from a header row and body rows already rendered as cells. */
  public static String table(String id, String[] headers, Iterable<String[]> rows) {
    StringBuilder out = new StringBuilder("<table id=\"").append(esc(id)).append("\"><thead><tr>");
    for (String header : headers) {
      out.append("<th>").append(esc(header)).append("</th>");
    }
    out.append("</tr></thead><tbody>");
    boolean any = false;
    for (String[] row : rows) {
      any = true;
      out.append("<tr>");
      for (String cell : row) {
        out.append("<td>").append(cell).append("</td>");
      }
      out.append("</tr>");
    }
    if (!any) {
      out.append("<tr><td class=\"empty\" colspan=\"")
          .append(headers.length)
          .append("\">Nothing to show.</td></tr>");
    }
    return out.append("</tbody></table>").toString();
  }
}
