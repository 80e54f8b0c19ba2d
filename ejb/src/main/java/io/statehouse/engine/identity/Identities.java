package io.statehouse.engine.identity;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.identity.Group;

/** The groups that Statehouse's own setup creates when they are missing. */
public final class Identities {

    private Identities() {
    }

    /** Creates the group unless it exists; an existing group is left as it is. */
    public static void ensureGroup(IdentityService identity, String id, String name, String type) {
        if (identity.createGroupQuery().groupId(id).count() == 0) {
            Group group = identity.newGroup(id);
            group.setName(name);
            group.setType(type);
            identity.saveGroup(group);
        }
    }

    /** The group whose members the AdministratorAuthorizationPlugin allows everything. */
    public static void ensureAdministratorGroup(IdentityService identity) {
        ensureGroup(identity, Groups.CAMUNDA_ADMIN, "Camunda administrators", Groups.GROUP_TYPE_SYSTEM);
    }
}
