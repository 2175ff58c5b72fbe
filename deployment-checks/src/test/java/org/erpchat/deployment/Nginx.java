package org.erpchat.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A small parser for nginx configuration: directives with arguments, and blocks. */
final class Nginx {

    record Directive(String name, List<String> args, List<Directive> block) {

        Stream<Directive> children(String name) {
            return block.stream().filter(d -> d.name.equals(name));
        }

        /** This directive's descendants with that name, at any depth. */
        Stream<Directive> all(String name) {
            return block.stream()
                    .flatMap(d -> Stream.concat(d.name.equals(name) ? Stream.of(d) : Stream.empty(), d.all(name)));
        }

        String arg(int i) {
            return args.get(i);
        }
    }

    private final List<String> tokens;
    private int next;

    private Nginx(List<String> tokens) {
        this.tokens = tokens;
    }

    static Directive parse(String text) {
        Nginx parser = new Nginx(tokenize(text));
        List<Directive> top = parser.block(false);
        return new Directive("main", List.of(), top);
    }

    private List<Directive> block(boolean nested) {
        List<Directive> directives = new ArrayList<>();
        while (next < tokens.size()) {
            String token = tokens.get(next++);
            if (token.equals("}")) {
                if (!nested) {
                    throw new IllegalStateException("unexpected }");
                }
                return directives;
            }
            List<String> args = new ArrayList<>();
            while (true) {
                if (next >= tokens.size()) {
                    throw new IllegalStateException("directive " + token + " is not terminated");
                }
                String t = tokens.get(next++);
                if (t.equals(";")) {
                    directives.add(new Directive(token, args, List.of()));
                    break;
                }
                if (t.equals("{")) {
                    directives.add(new Directive(token, args, block(true)));
                    break;
                }
                args.add(t);
            }
        }
        if (nested) {
            throw new IllegalStateException("a block is not closed");
        }
        return directives;
    }

    private static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == ';' || c == '{' || c == '}') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '\'' || c == '"') {
                int end = text.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalStateException("unterminated string");
                }
                tokens.add(text.substring(i + 1, end));
                i = end + 1;
            } else {
                int start = i;
                while (i < text.length()
                        && !Character.isWhitespace(text.charAt(i))
                        && ";{}".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(text.substring(start, i));
            }
        }
        return tokens;
    }
}
