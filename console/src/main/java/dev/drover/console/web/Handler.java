package dev.drover.console.web;

/** Answers one route. */
@FunctionalInterface
public interface Handler {
  Response handle(Request request) throws Exception;
}
