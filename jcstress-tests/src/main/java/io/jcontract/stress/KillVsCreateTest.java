package io.jcontract.stress;

import io.jcontract.Contract;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.MemberInfo;
import io.jcontract.StatusDetail;
import io.jcontract.internal.ContractImpl;
import io.jcontract.internal.ContractTable;
import io.jcontract.internal.Member;
import io.jcontract.internal.Monitoring;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.atomic.AtomicLong;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Issue 14, defect 13: a fork creates a contract while the system (the monitoring MXBean's kill,
 * by id) kills whatever new contract it finds. A contract must not be in the table before its
 * first member has joined: a kill that finds it must mark that member.
 *
 * <p>r1: 1 if the killer found the new contract. r2: members of it the kill did not mark.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the killer looked before the contract was visible")
@Outcome(id = "1, 0", expect = ACCEPTABLE_INTERESTING, desc = "found and killed: its first member is marked")
@Outcome(id = "1, [1-9]", expect = FORBIDDEN, desc = "killed before its first member joined: nobody marked")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class KillVsCreateTest {
    private static final AtomicLong COOKIES = new AtomicLong(1_000_000);

    private final long cookie = COOKIES.incrementAndGet();
    private final Member holder = Puppets.fork();
    private final int baseline;
    private volatile Member first;
    private volatile Contract created;
    private int found;

    public KillVsCreateTest() {
        int[] b = new int[1];
        Puppets.act(holder, () -> {         // a contract of our own, to learn where the ids are now
            Member m;
            try (var a = ContractTemplate.process().activate()) {
                m = Puppets.fork();
            }
            b[0] = Contracts.latest().id();
            Puppets.exit(m);
        });
        baseline = b[0];
    }

    @Actor
    public void creator() {
        Puppets.act(holder, () -> {
            try (var a = ContractTemplate.process().cookie(cookie).activate()) {
                first = Puppets.fork();
            }
            created = Contracts.latest();
        });
    }

    /** Looks a bounded number of times (never waits for the creator), so that it also looks mid-creation. */
    @Actor
    public void killer() {
        for (int round = 0; round < 64; round++) {
            for (int id = baseline + 1; id <= baseline + 8; id++) {
                ContractImpl c = ContractTable.TABLE.find(id);
                if (c != null && Contracts.lookup(id).status().cookie() == cookie) {
                    Monitoring.kill(id);
                    found = 1;
                    return;
                }
            }
        }
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = found;
        int unmarked = 0;
        for (MemberInfo m : created.status(StatusDetail.ALL).members()) if (!m.killed()) unmarked++;
        r.r2 = found == 1 ? unmarked : 0;
        Puppets.exit(first);
        Puppets.exit(holder);
    }
}
