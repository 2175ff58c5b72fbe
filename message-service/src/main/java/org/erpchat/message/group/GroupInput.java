package org.erpchat.message.group;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.erpchat.events.SendRules;
import org.erpchat.message.message.BlankText;
import org.erpchat.support.domain.RefusedException;

/** What a group's name and member lists must be; refusals are {@link RefusedException#invalid invalid input}. */
final class GroupInput {

    private GroupInput() {}

    /**
     * The name to store: required and not blank ({@link BlankText}: a name of only invisible characters shows as
     * none), storable, at most {@code maxLength} characters once stripped.
     */
    static String name(String name, int maxLength) {
        // The name is stored and shown to every member: refuse what PostgreSQL cannot store or would store altered.
        String unstorable = SendRules.unstorableReason("name", name);
        if (unstorable != null) {
            throw RefusedException.invalid(unstorable);
        }
        if (BlankText.isBlank(name)) {
            throw RefusedException.invalid("name is required");
        }
        String stripped = name.strip();
        if (stripped.length() > maxLength) {
            throw RefusedException.invalid("name is longer than " + maxLength + " characters");
        }
        return stripped;
    }

    /** The distinct ids, in the order given; none for a missing list. */
    static Set<Long> userIds(Collection<Long> ids) {
        Set<Long> valid = new LinkedHashSet<>();
        if (ids == null) {
            return valid;
        }
        for (Long id : ids) {
            if (id == null || id <= 0) {
                throw RefusedException.invalid("user ids are positive integers");
            }
            valid.add(id);
        }
        return valid;
    }

    /** Refuses a group that would have more than {@code max} members. */
    static void requireAtMost(int members, int max) {
        if (members > max) {
            throw RefusedException.invalid("a group has at most " + max + " members");
        }
    }
}
