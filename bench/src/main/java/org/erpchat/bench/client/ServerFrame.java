package org.erpchat.bench.client;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fields of a server frame the benchmark looks at, read in one pass without building a tree: a replay delivers
 * tens of thousands of frames a second to one client on the same machine as the servers, and the client's parsing is
 * CPU taken from them.
 */
final class ServerFrame {

    String event = "";
    long conversationId;
    long seq;
    long senderId;
    String content;
    boolean complete;
    String reason;
    String code;

    private ServerFrame() {}

    static ServerFrame read(JsonMapper json, String text) {
        ServerFrame frame = new ServerFrame();
        try (JsonParser parser = json.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return frame;
            }
            for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                JsonToken value = parser.nextToken();
                if ("event".equals(name) && value == JsonToken.VALUE_STRING) {
                    frame.event = parser.getString();
                } else if ("data".equals(name) && value == JsonToken.START_OBJECT) {
                    frame.readData(parser);
                } else {
                    parser.skipChildren();
                }
            }
        }
        return frame;
    }

    private void readData(JsonParser parser) {
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "conversation_id" ->
                    conversationId = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : 0;
                case "seq" -> seq = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : 0;
                case "sender_id" -> senderId = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : 0;
                case "content" -> content = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                case "complete" -> complete = value == JsonToken.VALUE_TRUE;
                case "reason" -> reason = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                case "code" -> code = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                default -> parser.skipChildren();
            }
        }
    }
}
