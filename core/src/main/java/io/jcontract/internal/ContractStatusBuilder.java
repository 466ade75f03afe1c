package io.jcontract.internal;

import io.jcontract.ContractStatus;
import io.jcontract.InvalidArgumentException;
import io.jcontract.MemberInfo;
import io.jcontract.StatusDetail;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a contract's {@link ContractStatus} (illumos {@code ct_status}),
 * the snapshot that handles, the monitoring MXBean and {@code ctstat} read,
 * filling the components of the asked {@link StatusDetail}.
 *
 * <h2>Theory of operation</h2>
 * No state of its own and no instance: {@link #build} reads fields of the
 * {@link ContractImpl} it is given, all in one hold of the contract's lock
 * ({@code ContractImpl.lock}), so a snapshot is consistent with itself:
 * {@code state}, {@code owner}, {@code regent}, {@code inherited},
 * {@code unacked}, the member list (ALL) and the last kill's report
 * ({@code KillLadder.lastKill}). What the contract owns ({@link Ownership})
 * is described before the lock is taken, and so may be a moment older:
 * describing takes {@code Ownership}'s monitor and asks each pool and
 * channel whether it is still live, none of which is nested in a contract
 * lock. The terms, ids and names it copies are final. Lock order:
 * {@link io.jcontract.internal the package documentation}.
 *
 * <p>Not a builder in the pattern's sense (nothing is set step by step): the
 * one entry point is {@link #build}, and {@link ContractStatus} itself is
 * the immutable snapshot.
 */
final class ContractStatusBuilder {
    private ContractStatusBuilder() {
    }

    static ContractStatus build(ContractImpl c, StatusDetail detail) {
        if (detail == null)
            throw new InvalidArgumentException("status detail is null: ask for COMMON, FIXED or ALL");
        Ownership own = detail == StatusDetail.ALL ? c.ownership : null;
        List<String> owned = own == null ? List.of() : own.describe();     // before the lock: never nested
        c.lock.lock();
        try {
            boolean fixed = detail != StatusDetail.COMMON, all = detail == StatusDetail.ALL;
            List<MemberInfo> listed = null;
            int pending = 0;
            if (all) {
                listed = new ArrayList<>();
                for (Member m = c.members.head(); m != null; m = m.next) {
                    int st = m.state;
                    if (st == Member.PENDING || st == Member.LEAVING_PENDING) pending++;
                    if (st != Member.RUNNING && st != Member.LEAVING_RUNNING) continue;
                    Thread t = m.runnerOrThread();
                    listed.add(new MemberInfo(m.id, t == null ? "" : t.getName(), m.task,
                            t != null && t.isVirtual(), m.parent, m.killed));
                }
            }
            List<Integer> inheritedIds = null;
            if (all) {
                inheritedIds = new ArrayList<>();
                if (c.inherited != null) for (ContractImpl i : c.inherited) inheritedIds.add(i.id);
            }
            return new ContractStatus(detail, c.id, "process", c.state, c.owner == null ? 0 : c.owner.id,
                    c.regent == null ? 0 : c.regent.id,
                    c.unacked == null ? 0 : c.unacked.size(), c.terms.cookie(),
                    Bits.eventSet(c.terms.informative()), Bits.eventSet(c.terms.critical()),
                    fixed ? Bits.paramSet(c.terms.params()) : null,
                    fixed ? Bits.eventSet(c.terms.fatal()) : null,
                    fixed ? c.serviceContractId : null,
                    listed, inheritedIds,
                    all ? c.creatorId : null, all ? c.creatorName : null, all ? c.terms.aux() : null,
                    all ? c.identity : null, all ? pending : null, all ? c.queue.dropped() : null,
                    all ? c.kills.lastKill : null, owned);
        } finally {
            c.unlock();
        }
    }
}
