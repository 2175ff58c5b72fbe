package org.erpchat.message.command;

import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;

/** The listener container of {@code chat.message-commands}: Boot's settings, plus what the dispatcher needs. */
@Configuration(proxyBeanMethods = false)
class CommandListenerConfiguration {

    static final String CONTAINER_FACTORY = "commandListenerContainerFactory";

    @Bean(CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> commandListenerContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer,
            ConsumerFactory<Object, Object> consumerFactory,
            DefaultErrorHandler errorHandler,
            CommandDispatcher dispatcher) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        // spring.kafka.listener.* (concurrency) and service-support's dead-lettering error handler.
        configurer.configure(factory, consumerFactory);
        ContainerProperties container = factory.getContainerProperties();
        // The dispatcher acknowledges a command once it and everything before it on its partition is done.
        container.setAckMode(ContainerProperties.AckMode.MANUAL);
        container.setConsumerRebalanceListener(dispatcher);
        // After dead-lettering a record the error handler would commit its offset, which commits past any parked
        // command below it on that partition; the dispatcher's next acknowledgment commits past it instead. (This
        // container is the only one in message-service, so changing the shared handler changes nothing else.)
        errorHandler.setAckAfterHandle(false);
        return factory;
    }
}
