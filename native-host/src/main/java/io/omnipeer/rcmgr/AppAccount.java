package io.omnipeer.rcmgr;

import java.util.HashMap;
import java.util.Map;

/** Limits, scope and traffic of one app. */
final class AppAccount {
    final String id;
    final ResourceScope scope;
    final Traffic traffic = new Traffic();
    volatile AppLimits limits = AppLimits.UNLIMITED;
    /** Streams per connection, for the app's connection count; guarded by the manager's lock. */
    final Map<ConnectionScope, Integer> connectionStreams = new HashMap<>();

    AppAccount(String id, ResourceScope scope) {
        this.id = id;
        this.scope = scope;
    }
}
