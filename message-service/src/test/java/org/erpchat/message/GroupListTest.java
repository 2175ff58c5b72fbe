package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.erpchat.message.Problems.assertProblem;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/groups}: the caller's groups in id order, a page at a time, each with its members. */
class GroupListTest extends MessageServiceTest {

    @Test
    void walksMyGroupsInIdOrderAPageAtATimeEachWithItsMembers() {
        long me = knownUser();
        // Five groups I am in (one of them mine), each after a group of others I am not in, and a private conversation.
        Map<Long, List<String>> mine = new LinkedHashMap<>();
        List<Long> theirs = new ArrayList<>();
        long stranger = knownUser();
        for (int i = 0; i < 5; i++) {
            theirs.add(createGroup(stranger, List.of(knownUser())));
            long owner = knownUser();
            long other = knownUser();
            if (i == 2) {
                mine.put(createGroup(me, List.of(owner)), List.of(me + ":owner", owner + ":member"));
            } else {
                mine.put(
                        createGroup(owner, List.of(me, other)),
                        List.of(owner + ":owner", me + ":member", other + ":member"));
            }
        }
        assertThat(sendPrivate(me, stranger, "not a group").status()).isEqualTo(201);

        List<JsonNode> listed = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.as(me).get("/api/groups?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            pageSizes.add(page.body().get("groups").size());
            page.body().get("groups").valueStream().forEach(listed::add);
            cursor = page.text("next_cursor");
        } while (cursor != null && pageSizes.size() < 10);

        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(listed.stream().map(group -> group.get("id").asLong())).containsExactlyElementsOf(mine.keySet());
        for (JsonNode group : listed) {
            assertThat(roles(group))
                    .as("members of %s", group.get("id"))
                    .containsExactlyInAnyOrderElementsOf(
                            mine.get(group.get("id").asLong()));
            assertThat(group.get("name").asString()).startsWith("Group of ");
            assertThat(group.get("created_at").asString()).isNotBlank();
        }
        assertThat(listed.get(2).get("owner_id").asLong()).isEqualTo(me);

        // One page by default; a page that ends with the last group says it is the last.
        Api.Response all = api.as(me).get("/api/groups");
        assertThat(groupIdsOn(all)).containsExactlyElementsOf(mine.keySet());
        assertThat(all.body().get("next_cursor").isNull()).isTrue();
        Api.Response exact = api.as(me).get("/api/groups?limit=5");
        assertThat(groupIdsOn(exact)).containsExactlyElementsOf(mine.keySet());
        assertThat(exact.body().get("next_cursor").isNull()).isTrue();

        // Another user sees their own groups only.
        assertThat(groupIdsOn(api.as(stranger).get("/api/groups"))).containsExactlyElementsOf(theirs);
    }

    @Test
    void aCursorTheListDidNotGiveAndALimitOutOfRangeAreInvalidRequests() {
        long me = knownUser();
        createGroup(me, List.of(knownUser()));
        createGroup(me, List.of(knownUser()));
        String next = api.as(me).get("/api/groups?limit=1").text("next_cursor");
        assertThat(next).isNotNull();
        sendPrivate(me, knownUser(), "a second conversation");
        String inboxCursor = api.as(me).get("/api/conversations?limit=1").text("next_cursor");
        assertThat(inboxCursor).isNotNull();

        for (String query : List.of(
                "limit=0",
                "limit=-1",
                "limit=101",
                "limit=two",
                "cursor=not-a-cursor",
                "cursor=" + inboxCursor,
                "cursor=" + encoded("-5"),
                "cursor=" + encoded("0"),
                "cursor=" + encoded("+5"),
                "cursor=" + encoded("05"))) {
            Api.Response refused = api.as(me).get("/api/groups?" + query);
            assertProblem(refused, 400, "invalid_request");
        }
        assertThat(api.as(me).get("/api/groups?limit=101").text("detail")).isEqualTo("limit must be between 1 and 100");
        assertThat(api.as(me).get("/api/groups?cursor=x").text("detail"))
                .isEqualTo("cursor is not one this API returned");
        // The bounds themselves are fine, and so is the cursor the list gave.
        assertThat(groupIdsOn(api.as(me).get("/api/groups?limit=100"))).hasSize(2);
        assertThat(groupIdsOn(api.as(me).get("/api/groups?limit=1&cursor=" + next)))
                .hasSize(1);
    }

    private static List<String> roles(JsonNode group) {
        return group.get("members")
                .valueStream()
                .map(m -> m.get("user_id").asLong() + ":" + m.get("role").asString())
                .toList();
    }

    private static String encoded(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
