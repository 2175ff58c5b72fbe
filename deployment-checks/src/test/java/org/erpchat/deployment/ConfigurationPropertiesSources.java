package org.erpchat.deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The properties a module binds with {@code @ConfigurationProperties}, read from its Java sources: each annotated
 * record's prefix plus its components in kebab case, nested records expanded ({@code chat.gateway} +
 * {@code messageService} (a record) + {@code baseUrl} gives {@code chat.gateway.message-service.base-url}), with their
 * {@code @DefaultValue}. Placeholders in {@code @Value("${...}")} count as read too.
 */
final class ConfigurationPropertiesSources {

    /** A bound property. {@code open}: a Map, List or unknown bean type, so deeper names bind too. */
    record Bound(String name, String type, String defaultValue, boolean open) {}

    private static final Pattern ANNOTATION =
            Pattern.compile("@ConfigurationProperties\\(\\s*(?:(?:value|prefix)\\s*=\\s*)?\"([^\"]+)\"\\s*\\)");
    private static final Pattern RECORD = Pattern.compile("\\brecord\\s+(\\w+)\\s*(?:<[^>]*>)?\\s*\\(");
    private static final Pattern CLASS = Pattern.compile("\\bclass\\s+(\\w+)");
    private static final Pattern FIELD = Pattern.compile(
            "^\\s*private\\s+(?!static)(?:final\\s+)?([\\w.<>, ?\\[\\]]+?)\\s+(\\w+)\\s*(?:=[^;]*)?;",
            Pattern.MULTILINE);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-\\[\\]]+)(?::[^}]*)?}");
    private static final Pattern DEFAULT_VALUE =
            Pattern.compile("@DefaultValue(?:\\(\\s*(?:value\\s*=\\s*)?\"([^\"]*)\"\\s*\\))?");

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, Bound> bound = new LinkedHashMap<>();
    private final List<String> placeholders = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();

    ConfigurationPropertiesSources(List<Path> javaFiles) {
        for (Path file : javaFiles) {
            sources.put(Repo.relative(file), withoutComments(Repo.read(file)));
        }
        sources.forEach((file, text) -> {
            Matcher m = ANNOTATION.matcher(text);
            while (m.find()) {
                prefixes.add(m.group(1));
                bindAnnotated(file, text, m.end(), m.group(1));
            }
            Matcher p = PLACEHOLDER.matcher(text);
            while (p.find()) {
                placeholders.add(p.group(1));
            }
        });
    }

    Map<String, Bound> bound() {
        return bound;
    }

    List<String> placeholders() {
        return placeholders;
    }

    /** The prefixes of every {@code @ConfigurationProperties} found. */
    List<String> prefixes() {
        return prefixes;
    }

    private void bindAnnotated(String file, String text, int from, String prefix) {
        // What the annotation is on: a record or a class (declared before the first brace), else a @Bean method.
        int brace = text.indexOf('{', from);
        Matcher record = RECORD.matcher(text).region(from, text.length());
        Matcher type = CLASS.matcher(text).region(from, text.length());
        if (record.find() && record.start() < brace) {
            bindRecord(file, text, record.end() - 1, prefix, 0);
        } else if (type.find() && type.start() < brace) {
            bindClass(text, brace, prefix);
        } else {
            bound.put(prefix, new Bound(prefix, "bean", null, true));
        }
    }

    private void bindRecord(String file, String text, int openParen, String prefix, int depth) {
        if (depth > 10) {
            throw new IllegalStateException("records nested too deep under " + prefix);
        }
        String components = text.substring(openParen + 1, matching(text, openParen, '(', ')'));
        for (String component : splitTopLevel(components)) {
            String trimmed = component.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            Matcher d = DEFAULT_VALUE.matcher(trimmed);
            String defaultValue = d.find() ? (d.group(1) == null ? "" : d.group(1)) : null;
            String declaration = stripAnnotations(trimmed);
            int space = declaration.lastIndexOf(' ');
            String name = declaration.substring(space + 1).trim();
            String typeName = declaration.substring(0, space).trim();
            bindMember(file, prefix + "." + kebab(name), typeName, defaultValue, depth);
        }
    }

    private void bindClass(String text, int openBrace, String prefix) {
        String body = text.substring(openBrace + 1, matching(text, openBrace, '{', '}'));
        Matcher m = FIELD.matcher(body);
        while (m.find()) {
            bindMember(null, prefix + "." + kebab(m.group(2)), m.group(1).trim(), null, 0);
        }
    }

    private void bindMember(String file, String name, String typeName, String defaultValue, int depth) {
        String simple = simpleName(typeName);
        int nested = file == null ? -1 : recordDeclaration(sources.get(file), simple);
        if (nested >= 0) {
            bindRecord(file, sources.get(file), nested, name, depth + 1);
            return;
        }
        for (Map.Entry<String, String> other : sources.entrySet()) {
            int at = recordDeclaration(other.getValue(), simple);
            if (at >= 0) {
                bindRecord(other.getKey(), other.getValue(), at, name, depth + 1);
                return;
            }
        }
        boolean open = simple.equals("Map") || typeName.startsWith("java.util.Map") || typeName.contains("Map<");
        bound.put(name, new Bound(name, typeName, defaultValue, open));
    }

    /** Where {@code record Name(} opens its component list in this source, or -1. */
    private static int recordDeclaration(String text, String simpleName) {
        Matcher m = Pattern.compile("\\brecord\\s+" + Pattern.quote(simpleName) + "\\s*(?:<[^>]*>)?\\s*\\(")
                .matcher(text);
        return m.find() ? m.end() - 1 : -1;
    }

    private static String simpleName(String typeName) {
        String raw = typeName.replaceAll("<.*>", "").replace("[]", "").trim();
        return raw.substring(raw.lastIndexOf('.') + 1);
    }

    /** Removes leading annotations, with their arguments, from a component declaration. */
    static String stripAnnotations(String declaration) {
        String rest = declaration.trim();
        while (rest.startsWith("@")) {
            int i = 1;
            while (i < rest.length() && (Character.isJavaIdentifierPart(rest.charAt(i)) || rest.charAt(i) == '.')) {
                i++;
            }
            while (i < rest.length() && Character.isWhitespace(rest.charAt(i))) {
                i++;
            }
            if (i < rest.length() && rest.charAt(i) == '(') {
                i = matching(rest, i, '(', ')') + 1;
            }
            rest = rest.substring(i).trim();
        }
        return rest.replaceAll("\\s+", " ");
    }

    /** The source with comments blanked out (string literals such as {@code "http://x"} left alone). */
    static String withoutComments(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int end = Math.min(endOfLiteral(text, i), text.length() - 1);
                out.append(text, i, end + 1);
                i = end;
            } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
                out.append('\n');
            } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 1;
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The index of the bracket closing the one at {@code open}, skipping string and char literals. */
    static int matching(String text, int open, char opening, char closing) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = endOfLiteral(text, i);
            } else if (c == opening) {
                depth++;
            } else if (c == closing && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced " + opening + " at " + open);
    }

    private static int endOfLiteral(String text, int start) {
        char quote = text.charAt(start);
        for (int i = start + 1; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.charAt(i) == quote) {
                return i;
            }
        }
        return text.length();
    }

    /** Splits on commas that are not inside brackets, generics or literals. */
    static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = endOfLiteral(text, i);
            } else if (c == '(' || c == '<' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == '>' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** {@code maxSessionsPerUser} to {@code max-sessions-per-user}. */
    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
