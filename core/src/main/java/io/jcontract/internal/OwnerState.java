package io.jcontract.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a member has as a contract holder: the contracts it owns and its
 * owner queue (illumos' per-process bundle, {@code pbundle}). Created the
 * first time the member creates or adopts a contract; most members never
 * need one.
 *
 * <p>{@code owned} is a concurrent set because the holder's handle may be
 * used from any thread; membership changes happen under the owned
 * contract's lock.
 */
final class OwnerState {
    final Member member;
    final EventQueue queue;
    private final Set<ContractImpl> owned = ConcurrentHashMap.newKeySet();

    OwnerState(Member member) {
        this.member = member;
        this.queue = new EventQueue("owner " + member.id, true, EventQueue.DEFAULT_CAPACITY);
    }

    void add(ContractImpl c) {
        owned.add(c);
    }

    void remove(ContractImpl c) {
        owned.remove(c);
    }

    List<ContractImpl> snapshot() {
        return new ArrayList<>(owned);
    }

    int count() {
        return owned.size();
    }
}
