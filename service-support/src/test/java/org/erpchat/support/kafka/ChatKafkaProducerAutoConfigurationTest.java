package org.erpchat.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.LoggingProducerListener;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.test.util.ReflectionTestUtils;

/** Boot's KafkaTemplate does not log every record a send fails, with its value: the senders report outages once. */
class ChatKafkaProducerAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(KafkaAutoConfiguration.class, ChatKafkaProducerAutoConfiguration.class));

    @Test
    void theTemplatesProducerListenerLogsNothing() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ProducerListener.class);
            Object listener = ReflectionTestUtils.getField(context.getBean(KafkaTemplate.class), "producerListener");
            assertThat(listener)
                    .isSameAs(context.getBean(ProducerListener.class))
                    .isNotInstanceOf(LoggingProducerListener.class);
        });
    }

    @Test
    void aServiceMayStillBringItsOwn() {
        ProducerListener<Object, Object> own = new LoggingProducerListener<>();
        runner.withBean("ownListener", ProducerListener.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(ProducerListener.class);
            assertThat(ReflectionTestUtils.getField(context.getBean(KafkaTemplate.class), "producerListener"))
                    .isSameAs(own);
        });
    }
}
