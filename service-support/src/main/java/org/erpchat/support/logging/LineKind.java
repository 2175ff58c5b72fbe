package org.erpchat.support.logging;

/**
 * What makes two log lines "the same line": the logger and the text without the client's prefix. Kafka's
 * {@code LogContext} puts each client's name in front of every line ("[Consumer clientId=x, groupId=y] "), so without
 * dropping it 28 clients reporting the same unreachable broker would be 28 kinds of line instead of one. The
 * {@code LogContext} also formats the message before Logback sees it, so lines that differ in a value (node 1, node 2)
 * are different kinds: one per broker, which is what an outage report wants.
 *
 * @param logger the logger's name
 * @param text the line's format string (for Kafka's client loggers already the formatted message), prefix dropped
 */
record LineKind(String logger, String text) {

    static LineKind of(String logger, String format) {
        return new LineKind(logger, withoutClientPrefix(format));
    }

    /** The text after a leading {@code "[...] "}, or all of it if there is none. */
    static String withoutClientPrefix(String format) {
        if (!format.startsWith("[")) {
            return format;
        }
        int end = format.indexOf("] ");
        return end < 0 ? format : format.substring(end + 2);
    }
}
