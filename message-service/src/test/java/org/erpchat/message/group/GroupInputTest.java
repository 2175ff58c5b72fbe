package org.erpchat.message.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.erpchat.support.domain.RefusedException;
import org.junit.jupiter.api.Test;

/** What a group's name and member lists must be: plain rules, no database. */
class GroupInputTest {

    @Test
    void aNameIsStoredStrippedAndMustFitOnceStripped() {
        assertThat(GroupInput.name("  Kế toán  ", 7)).isEqualTo("Kế toán");
        assertInvalid(() -> GroupInput.name("Kế toán!", 7), "name is longer than 7 characters");
    }

    @Test
    void aNameIsRequiredAndMustBeStorable() {
        assertInvalid(() -> GroupInput.name(null, 10), "name is required");
        assertInvalid(() -> GroupInput.name(" \t", 10), "name is required");
        assertThatThrownBy(() -> GroupInput.name("a\u0000b", 10))
                .isInstanceOfSatisfying(
                        RefusedException.class, e -> assertThat(e.kind()).isEqualTo(RefusedException.Kind.INVALID));
    }

    @Test
    void aNameOfOnlyInvisibleCharactersIsBlankButTheyAreKeptAmongVisibleOnes() {
        assertInvalid(() -> GroupInput.name("\u200B", 10), "name is required");
        assertInvalid(() -> GroupInput.name("\u00A0\u3000\u2060\uFEFF\u180E\u0001", 10), "name is required");
        assertThat(GroupInput.name(" \u200BTeam\u200D ", 10)).isEqualTo("\u200BTeam\u200D");
    }

    @Test
    void userIdsArePositiveDistinctAndKeepTheirOrder() {
        assertThat(GroupInput.userIds(List.of(5L, 3L, 5L, 9L))).containsExactly(5L, 3L, 9L);
        assertThat(GroupInput.userIds(null)).isEmpty();
        assertInvalid(() -> GroupInput.userIds(List.of(1L, 0L)), "user ids are positive integers");
        assertInvalid(() -> GroupInput.userIds(Arrays.asList(1L, null)), "user ids are positive integers");
    }

    @Test
    void aGroupHasAtMostTheConfiguredNumberOfMembers() {
        GroupInput.requireAtMost(3, 3);
        assertInvalid(() -> GroupInput.requireAtMost(4, 3), "a group has at most 3 members");
    }

    private static void assertInvalid(Runnable call, String detail) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RefusedException.class, e -> {
            assertThat(e.kind()).isEqualTo(RefusedException.Kind.INVALID);
            assertThat(e.code()).isEqualTo("invalid_request");
            assertThat(e.getMessage()).isEqualTo(detail);
        });
    }
}
