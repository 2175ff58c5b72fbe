package org.erpchat.events;

/** A record could not be read as a {@link ChatEvent}. Consumers send such records to the dead-letter topic. */
public class EventDecodingException extends RuntimeException {

    public EventDecodingException(String message) {
        super(message);
    }

    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
