package org.erpchat.gateway.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.erpchat.gateway.backend.MessageServiceClient.UserContacts;
import org.erpchat.gateway.backend.MessageServiceClient.UserSync;
import org.erpchat.gateway.backend.MessageServiceClient.UserSyncRequest;
import org.erpchat.gateway.support.JsonBackend;
import org.junit.jupiter.api.Test;

/**
 * The batch answers as both message-service versions of a rolling upgrade write them: each result holds only its
 * alternative's fields (a success, or {@code error} and {@code detail}), or, from one before that, every field with
 * the other alternative's null.
 */
class MessageServiceClientTest {

    private static final String SYNCS_WITHOUT_NULLS = """
            {"results":[
              {"user_id":7,"messages":[],"positions":{"3":5},"has_more":true},
              {"error":"token_rejected","detail":"the token is not valid"},
              {"error":"unavailable","detail":"retry later"}]}""";

    private static final String SYNCS_WITH_NULLS = """
            {"results":[
              {"user_id":7,"messages":[],"positions":{"3":5},"has_more":true,"error":null,"detail":null},
              {"user_id":null,"messages":null,"positions":null,"has_more":null,"error":"token_rejected","detail":null},
              {"user_id":null,"messages":null,"positions":null,"has_more":null,"error":"unavailable",
               "detail":"retry later"}]}""";

    private static final String CONTACTS_WITHOUT_NULLS = """
            {"results":[{"user_id":7,"user_ids":[8,9]},{"error":"token_rejected"}]}""";

    private static final String CONTACTS_WITH_NULLS = """
            {"results":[{"user_id":7,"user_ids":[8,9],"error":null},
                        {"user_id":null,"user_ids":null,"error":"token_rejected"}]}""";

    @Test
    void syncBatchResultsAreReadWhetherTheOtherAlternativesFieldsAreLeftOutOrNull() {
        for (String answer : List.of(SYNCS_WITHOUT_NULLS, SYNCS_WITH_NULLS)) {
            try (JsonBackend service = JsonBackend.start().answer("/api/sync/batch", answer)) {
                MessageServiceClient client = new MessageServiceClient(service.properties());
                UserSyncRequest request = new UserSyncRequest("t", Map.of(), 10, null);

                List<UserSync> results = client.syncOf("t", List.of(request, request, request));

                assertThat(results.get(0).error()).isNull();
                assertThat(results.get(0).userId()).isEqualTo(7L);
                assertThat(results.get(0).messages()).isEmpty();
                assertThat(results.get(0).positions()).containsEntry("3", 5L);
                assertThat(results.get(0).hasMore()).isTrue();
                assertThat(results.get(1).error()).isEqualTo("token_rejected");
                assertThat(results.get(1).userId()).isNull();
                assertThat(results.get(2).error()).isEqualTo("unavailable");
                assertThat(results.get(2).detail()).isEqualTo("retry later");
            }
        }
    }

    @Test
    void contactsBatchResultsAreReadWhetherTheOtherAlternativesFieldsAreLeftOutOrNull() {
        for (String answer : List.of(CONTACTS_WITHOUT_NULLS, CONTACTS_WITH_NULLS)) {
            try (JsonBackend service = JsonBackend.start().answer("/api/contacts/batch", answer)) {
                MessageServiceClient client = new MessageServiceClient(service.properties());

                List<UserContacts> results = client.contactsOf("t", List.of("a", "b"), 50);

                assertThat(results.get(0)).isEqualTo(new UserContacts(7L, List.of(8L, 9L), null));
                assertThat(results.get(1)).isEqualTo(new UserContacts(null, null, "token_rejected"));
            }
        }
    }
}
