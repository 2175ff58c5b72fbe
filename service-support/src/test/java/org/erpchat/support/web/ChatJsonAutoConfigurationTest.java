package org.erpchat.support.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/** The application's JSON mapper refuses values of the wrong type instead of coercing them. */
class ChatJsonAutoConfigurationTest {

    record Body(String text, Long id, Integer limit) {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ChatJsonAutoConfiguration.class));

    @Test
    void numbersAndBooleansAreNotTextAndFractionsBooleansAndStringsOtherThanDigitsAreNotIntegers() {
        runner.run(context -> {
            JsonMapper json = context.getBean(JsonMapper.class);
            for (String body : new String[] {
                "{\"text\":42}",
                "{\"text\":4.2}",
                "{\"text\":true}",
                "{\"id\":9.5}",
                "{\"id\":9.0}",
                "{\"id\":true}",
                "{\"limit\":1e2}",
                "{\"limit\":false}",
                "{\"id\":\" 7\"}",
                "{\"id\":\"7 \"}",
                "{\"id\":\"+7\"}",
                "{\"id\":\"-7\"}",
                "{\"id\":\"\"}",
                "{\"limit\":\"3.0\"}"
            }) {
                assertThatThrownBy(() -> json.readValue(body, Body.class))
                        .as(body)
                        .isInstanceOf(MismatchedInputException.class);
            }
        });
    }

    @Test
    void valuesOfTheRightTypeAndIdsAsStringsOfDigitsAreRead() {
        runner.run(context -> {
            JsonMapper json = context.getBean(JsonMapper.class);
            assertThat(json.readValue("{\"text\":\"42\",\"id\":7,\"limit\":3}", Body.class))
                    .isEqualTo(new Body("42", 7L, 3));
            assertThat(json.readValue("{\"id\":\"7\"}", Body.class).id()).isEqualTo(7L);
        });
    }
}
