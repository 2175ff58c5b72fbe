package org.erpchat.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code group_updated} as docs/protocol.md shows it: lists of up to 1,000 users, the counts always. */
class GroupUpdatedTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aGroupOfAtMostAThousandListsItsMembers() {
        List<Long> members = LongStream.rangeClosed(1, 1_000).boxed().toList();

        JsonNode data = data(ServerEvents.GroupUpdated.of(31, "Sales", "members_added", 7, List.of(12L), members));

        assertThat(data.path("member_ids").size()).isEqualTo(1_000);
        assertThat(data.path("member_count").asInt()).isEqualTo(1_000);
        assertThat(data.path("affected_user_ids").get(0).asLong()).isEqualTo(12);
        assertThat(data.path("affected_count").asInt()).isEqualTo(1);
    }

    @Test
    void aLargerGroupSaysHowManyMembersItHasInsteadOfListingThem() {
        List<Long> members = LongStream.rangeClosed(1, 1_001).boxed().toList();

        JsonNode data =
                data(ServerEvents.GroupUpdated.of(31, "All staff", "members_removed", 7, List.of(12L), members));

        assertThat(data.path("member_ids").isNull()).isTrue();
        assertThat(data.path("member_count").asInt()).isEqualTo(1_001);
        assertThat(data.path("affected_user_ids").get(0).asLong()).isEqualTo(12);
        assertThat(data.path("change").asString()).isEqualTo("members_removed");
    }

    private static JsonNode data(ServerEvents.GroupUpdated updated) {
        JsonNode frame = JSON.readTree(ServerEvents.frame("group_updated", updated));
        assertThat(frame.path("event").asString()).isEqualTo("group_updated");
        return frame.path("data");
    }

    @Test
    void aChangeAffectingMoreThanAThousandUsersNamesOnlyTheOneWhoseFrameItIs() {
        List<Long> everyone = LongStream.rangeClosed(1, 1_001).boxed().toList();
        ServerEvents.GroupUpdated created =
                ServerEvents.GroupUpdated.of(31, "All staff", "created", 7, everyone, everyone);

        JsonNode others = data(created);
        JsonNode own = data(created.forAffected(500));

        assertThat(ServerEvents.GroupUpdated.listsAffected(everyone)).isFalse();
        assertThat(others.path("affected_user_ids").isNull()).isTrue();
        assertThat(others.path("affected_count").asInt()).isEqualTo(1_001);
        assertThat(own.path("affected_user_ids").size()).isEqualTo(1);
        assertThat(own.path("affected_user_ids").get(0).asLong()).isEqualTo(500);
        assertThat(own.path("affected_count").asInt()).isEqualTo(1_001);
        assertThat(own.path("member_count").asInt()).isEqualTo(1_001);
    }
}
