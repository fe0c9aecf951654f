package org.outcalls.replica;

/** The management canister: the subnet's own canister, reached by ingress for admin changes and by canisters for outcalls. */
public final class ManagementCanister {
    /** Its canister id, as on the Internet Computer. */
    public static final String ID = "aaaaa-aa";
    /** Admin method; argument {@code name@version} in UTF-8. */
    public static final String ENABLE_PLUGIN = "enable_plugin";
    /** Admin method; argument {@code name} or {@code name@version} in UTF-8. */
    public static final String DISABLE_PLUGIN = "disable_plugin";
    /** The outcall method, reached through {@code CallContext.httpRequest}. */
    public static final String HTTP_REQUEST = "http_request";
    /**
     * Admin ingress: the registry's members become the list in the argument ({@code
     * MemberChanges}' encoding) at height + {@code Membership.ACTIVATION_DELAY}, if {@link
     * MembershipRules} allow it.
     */
    public static final String CHANGE_MEMBERS = "change_members";

    private ManagementCanister() {
    }
}
